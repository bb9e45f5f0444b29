// Sign-in, the role's home screen and the header. Routing is by hash (#/till, #/console/subjects/<id>,
// ...; see ui/route.ts): the first part names the screen, the rest an object on it.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from './api/client';
import type { Partnership, Role } from './api/types';
import { AnalystDashboard } from './analyst/dashboard';
import { AdminScreen } from './admin/admin';
import { CoordinatorConsole } from './coordinator/console';
import { LoginScreen, openedFromEnrolmentLink } from './login';
import { PoliceScreen } from './police/police';
import { TillScreen } from './till/till';
import { useRoute } from './ui/route';

type Screen = 'till' | 'console' | 'police' | 'analyst' | 'admin';

const SCREENS: Record<Screen, { label: string; roles: Role[] }> = {
  till: { label: 'Report', roles: ['shopworker', 'store_manager', 'coordinator'] },
  console: { label: 'Console', roles: ['coordinator', 'admin', 'store_manager'] },
  police: { label: 'Police', roles: ['police'] },
  analyst: { label: 'Statistics', roles: ['analyst', 'coordinator', 'admin'] },
  admin: { label: 'Admin', roles: ['admin'] },
};

export function homeFor(role: Role): Screen {
  switch (role) {
    case 'shopworker':
    case 'store_manager':
      return 'till';
    case 'coordinator':
      return 'console';
    case 'admin':
      return 'admin';
    case 'police':
      return 'police';
    case 'analyst':
      return 'analyst';
  }
}

export function App() {
  const [session, setSession] = useState<Session | null>(api.current);
  const [asked] = useRoute();
  useEffect(() => api.onSession(setSession), []);

  // a tablet's enrolment QR code signs it in even over a session left on the device
  if (!session || openedFromEnrolmentLink()) {
    return <LoginScreen />;
  }
  const role = session.actor.kind === 'device' ? 'shopworker' : session.actor.role;
  const allowed = (Object.keys(SCREENS) as Screen[]).filter((s) => SCREENS[s].roles.includes(role));
  const screen = allowed.includes(asked as Screen) ? (asked as Screen) : homeFor(role);
  return (
    <Shell session={session} screen={screen} allowed={allowed}>
      {screen === 'till' && <TillScreen session={session} />}
      {screen === 'console' && <CoordinatorConsole session={session} />}
      {screen === 'police' && <PoliceScreen session={session} />}
      {screen === 'analyst' && <AnalystDashboard session={session} />}
      {screen === 'admin' && <AdminScreen session={session} />}
    </Shell>
  );
}

const ROLE_NAMES: Record<Role, string> = {
  shopworker: 'Shop worker',
  store_manager: 'Store manager',
  coordinator: 'Coordinator',
  police: 'Police',
  analyst: 'Analyst',
  admin: 'Administrator',
};

function Shell({
  session,
  screen,
  allowed,
  children,
}: {
  session: Session;
  screen: Screen;
  allowed: Screen[];
  children: ComponentChildren;
}) {
  const [partnership, setPartnership] = useState<Partnership | null>(null);
  useEffect(() => {
    api.get<Partnership>('/partnerships/current').then(setPartnership, () => setPartnership(null));
  }, [session.actor.id]);
  useEffect(() => {
    document.title = `${SCREENS[screen].label} · Retail crime hub`;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [screen]);
  return (
    <>
      {/* focuses without touching the hash, which holds the address of what is open */}
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ◆
          </span>
          <span>
            <strong>Retail crime hub</strong>
            {partnership && <span class="partnership">{partnership.name}</span>}
          </span>
        </div>
        {allowed.length > 1 && (
          <nav aria-label="Sections">
            <ul>
              {allowed.map((s) => (
                <li key={s}>
                  <a href={`#/${s}`} aria-current={s === screen ? 'page' : undefined}>
                    {SCREENS[s].label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="who">
          <span data-testid="role">{session.actor.kind === 'device' ? 'Till tablet' : ROLE_NAMES[session.actor.role]}</span>
          <button type="button" class="secondary small" onClick={() => void api.logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} data-screen={screen}>
        {children}
      </main>
    </>
  );
}

function skipToMain(e: Event) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}
