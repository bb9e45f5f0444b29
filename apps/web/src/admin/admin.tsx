// The administrator's screen: one page per part of running a partnership, each at its own address
// (#/admin/users, #/admin/stores, ...), listed in a side menu.
import { useEffect } from 'preact/hooks';
import type { Session } from '../api/client';
import { href, useRoute } from '../ui/route';
import { AccessLogPage } from './access-log';
import { AnalystKeysPage } from './analyst-keys';
import { LegalHoldsPage } from './legal-holds';
import { SettingsPage } from './settings';
import { SubjectAccessPage } from './subject-access';
import { StoresPage } from './stores';
import { TalkGroupsPage } from './talk-groups';
import { TabletsPage } from './tablets';
import { UsersPage } from './users';
import './admin.css';

const PAGES = {
  users: { title: 'Users', render: (s: Session) => <UsersPage session={s} /> },
  stores: { title: 'Stores and businesses', render: () => <StoresPage /> },
  tablets: { title: 'Till tablets', render: () => <TabletsPage /> },
  'talk-groups': { title: 'Talk groups', render: () => <TalkGroupsPage /> },
  'analyst-keys': { title: 'Analyst keys', render: () => <AnalystKeysPage /> },
  settings: { title: 'Settings', render: () => <SettingsPage /> },
  'legal-holds': { title: 'Legal holds', render: () => <LegalHoldsPage /> },
  'access-log': { title: 'Access log', render: () => <AccessLogPage /> },
  'subject-access': { title: 'Subject access', render: () => <SubjectAccessPage /> },
} as const;
type PageName = keyof typeof PAGES;

export function AdminScreen({ session }: { session: Session }) {
  const [, asked] = useRoute();
  const page: PageName = asked in PAGES ? (asked as PageName) : 'users';
  useEffect(() => {
    document.title = `${PAGES[page].title} · Admin · Retail crime hub`;
  }, [page]);
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label="Admin pages">
        <ul>
          {(Object.keys(PAGES) as PageName[]).map((p) => (
            <li key={p}>
              <a href={href('admin', p)} aria-current={p === page ? 'page' : undefined}>
                {PAGES[p].title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section class="panel admin-page" aria-labelledby="admin-h">
        <h1 id="admin-h">{PAGES[page].title}</h1>
        {PAGES[page].render(session)}
      </section>
    </div>
  );
}
