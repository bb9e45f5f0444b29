// The coordinator's console: one page per job, each at its own address (#/console/incidents,
// #/console/subjects/<id>, ...), with a nav between them. The radio connection is the console's, so
// alerts keep arriving (and the nav shows the radio's state) whichever page is open.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Session } from '../api/client';
import type { Page, Store } from '../api/types';
import { Radio, type RadioView } from '../radio/radio';
import { RADIO_TEXT } from '../till/alert-banner';
import { href, useRoute } from '../ui/route';
import { Exclusions } from './exclusions';
import { Galleries } from './galleries';
import { IncidentReview } from './incidents';
import { RadioPage } from './radio-page';
import { Flags } from './serial-flags';
import { SigningKeys } from './signing-keys';
import { Subjects } from './subjects/list';

export function useStores(): Map<string, Store> {
  const [stores, setStores] = useState(new Map<string, Store>());
  useEffect(() => {
    api.get<Page<Store>>('/stores?limit=200').then(
      (p) => setStores(new Map(p.items.map((s) => [s.id, s]))),
      () => undefined,
    );
  }, []);
  return stores;
}

type ConsolePage = 'radio' | 'incidents' | 'subjects' | 'galleries' | 'exclusions' | 'flags' | 'settings';

/** Each page's address part (radio is the console's own address) and its name in the nav. */
const PAGES: readonly (readonly [ConsolePage, string])[] = [
  ['radio', 'Radio and alerts'],
  ['incidents', 'Incidents'],
  ['subjects', 'Subjects'],
  ['galleries', 'Galleries'],
  ['exclusions', 'Exclusion notices'],
  ['flags', 'Serial-offender flags'],
  ['settings', 'Settings'],
];

const pageHref = (p: ConsolePage) => (p === 'radio' ? href('console') : href('console', p));

export function CoordinatorConsole({ session }: { session: Session }) {
  const radio = useMemo(() => new Radio(session.actor.partnershipId, session.actor.id), [session.actor.id]);
  const [view, setView] = useState<RadioView | null>(null);
  const stores = useStores();
  const [, part, id] = useRoute();
  const page = PAGES.find(([p]) => p === part)?.[0] ?? 'radio';
  const title = PAGES.find(([p]) => p === page)![1];
  useEffect(() => {
    const off = radio.subscribe(setView);
    void radio.start();
    const timer = setInterval(() => void radio.refreshPresence().catch(() => undefined), 15_000);
    return () => {
      clearInterval(timer);
      off();
      radio.close();
    };
  }, [radio]);
  // presence again whenever the channel changes: live, new alerts, new acknowledgements
  useEffect(() => {
    if (view?.state === 'live') {
      void radio.refreshPresence().catch(() => undefined);
    }
  }, [view?.state, view?.alerts.length, view?.acks.length]);
  useEffect(() => {
    document.title = `${title} · Console · Retail crime hub`;
  }, [title]);

  return (
    <div class="console-shell">
      <nav class="subnav" aria-label="Console pages">
        <ul>
          {PAGES.map(([p, label]) => (
            <li key={p}>
              <a href={pageHref(p)} aria-current={p === page ? 'page' : undefined}>
                {label}
                {p === 'radio' && view && view.state !== 'live' && <> ({RADIO_TEXT[view.state]})</>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1 class="page-title">{title}</h1>
      <div class={`console ${page}`} data-page={page}>
        {page === 'radio' && <RadioPage view={view} stores={stores} />}
        {page === 'incidents' && (
          <section class="panel" aria-label="Incident review">
            <IncidentReview stores={stores} openId={id ?? null} />
          </section>
        )}
        {page === 'subjects' && (
          <section class="panel" aria-label="Subjects">
            <Subjects stores={stores} openId={id ?? null} />
          </section>
        )}
        {page === 'galleries' && (
          <section class="panel" aria-label="Galleries">
            <Galleries />
          </section>
        )}
        {page === 'exclusions' && (
          <section class="panel" aria-label="Exclusion notices">
            <Exclusions stores={stores} />
          </section>
        )}
        {page === 'flags' && (
          <section class="panel" aria-label="Serial-offender flags">
            <Flags stores={stores} />
          </section>
        )}
        {page === 'settings' && (
          <section class="panel settings-panel" aria-label="Partnership settings">
            <h2 id="signing-keys-h">Evidence signing keys</h2>
            <SigningKeys />
          </section>
        )}
      </div>
    </div>
  );
}
