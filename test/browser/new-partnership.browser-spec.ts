import type { Page } from 'playwright-core';
import {
  bootstrapPassword,
  buildIncidentRequest,
  buildOrientedPhoto,
  postIncident,
  runBootstrap,
  sha256,
} from '@app/testing';
import { a11yAtSizes } from './a11y';
import { type BareStack, eventually, newDevice, shot, signIn, startBareStack } from './harness';

jest.setTimeout(300_000);

const TABLET = { width: 1024, height: 768 };
const NO_PROBLEMS = { '1024x768': [], '390x844': [] };
/** reports filed through the api to fill more than one page of a list (pages are 50 rows) */
const MORE_REPORTS = 60;

/**
 * A partnership's first days, in one journey through the browser: made by the bootstrap command
 * (no demo seed, no test partnership), its admin adds a store, enrols a till tablet and invites a
 * coordinator and a police officer; the tablet files a report with a photo; the coordinator finds it
 * by a word of its account; the officer finds it, sees the photo (and the view is logged) and opens
 * a case; a list pages past its first 50 rows. Every screen on the way passes the accessibility
 * checks at tablet and phone sizes.
 */
describe('a new partnership, from the bootstrap command to the police', () => {
  let stack: BareStack;
  beforeAll(async () => {
    stack = await startBareStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const query = <T>(sql: string, params: unknown[] = []) =>
    stack.api.db.owner.query(sql, params) as Promise<T[]>;

  /** The checks at both sizes on the screen as it is, then back to the device's own size. */
  async function accessible(page: Page, screen: string): Promise<void> {
    const size = page.viewportSize();
    await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
    expect([screen, await a11yAtSizes(page)]).toEqual([screen, NO_PROBLEMS]);
    if (size) {
      await page.setViewportSize(size);
    }
  }

  it('bootstrap, set-up, a report from the till, search, the photo for the police, and a long list', async () => {
    // 1. the bootstrap command: one partnership, its admin, and nothing else
    const made = await runBootstrap(stack.api.db.config, [
      ...[
        '--name',
        'Harbourside BCRP',
        '--slug',
        'harbourside',
        '--police-force-area',
        'Devon and Cornwall Police',
      ],
      ...[
        '--region',
        'South West',
        '--admin-email',
        'admin@harbourside.example',
        '--admin-name',
        'Morgan Admin',
      ],
    ]);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    const adminPassword = bootstrapPassword(made.stdout) as string;
    expect(adminPassword).toEqual(expect.any(String));
    const [partnership] = await query<{ id: string }>(
      `SELECT id FROM partnerships WHERE slug = 'harbourside'`,
    );
    const counts = async () =>
      (
        await query<{ partnerships: number; users: number; stores: number; incidents: number }>(
          `SELECT (SELECT count(*)::int FROM partnerships) AS partnerships, (SELECT count(*)::int FROM users) AS users,
                  (SELECT count(*)::int FROM stores) AS stores, (SELECT count(*)::int FROM incidents) AS incidents`,
        )
      )[0];
    expect(await counts()).toEqual({ partnerships: 1, users: 1, stores: 0, incidents: 0 });

    // 2. the admin: a store, two people (their passwords shown once), a tablet (its code shown once)
    const admin = await newDevice(stack, TABLET);
    await admin.page.goto('/');
    await admin.page.getByLabel('Email').waitFor();
    await accessible(admin.page, 'sign-in');
    await signIn(admin.page, 'admin@harbourside.example', adminPassword);
    await admin.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await accessible(admin.page, 'admin: users');

    await admin.page.getByRole('link', { name: 'Stores and businesses' }).click();
    await admin.page.getByRole('heading', { name: 'Stores and businesses', level: 1 }).waitFor();
    await admin.page.getByLabel('Business name').fill('Harbour Foods Ltd');
    await admin.page.getByRole('button', { name: 'Add business' }).click();
    await admin.page.getByTestId('businesses').getByText('Harbour Foods Ltd').waitFor();
    await admin.page.getByLabel('Store name').fill('Harbour Foods, Fore Street');
    await admin.page.getByLabel('Address or unit').fill('12 Fore Street');
    await admin.page.getByLabel('Postcode').fill('tr1 2aa');
    await admin.page.getByRole('button', { name: 'Add store' }).click();
    await admin.page.getByTestId('stores').getByText('TR1 2AA').waitFor();
    await accessible(admin.page, 'admin: stores');

    await admin.page.getByRole('link', { name: 'Users' }).click();
    await admin.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const invited: Record<'coordinator' | 'police' | 'police2', { email: string; password: string }> = {
      coordinator: { email: 'casey@harbourside.example', password: '' },
      police: { email: 'pc.penrose@police.example', password: '' },
      police2: { email: 'pc.kernow@police.example', password: '' },
    };
    for (const [who, name, role] of [
      ['coordinator', 'Casey Trelawny', 'Coordinator'],
      ['police', 'PC Jo Penrose', 'Police officer'],
      ['police2', 'PC Sam Kernow', 'Police officer'],
    ] as const) {
      await admin.page.getByLabel('Full name').fill(name);
      await admin.page.getByLabel('Email').fill(invited[who].email);
      await admin.page.getByLabel('Role').selectOption({ label: role });
      await admin.page.getByRole('button', { name: 'Invite' }).click();
      await eventually(
        async () => (await admin.page.getByTestId('invited-email').textContent()) === invited[who].email,
      );
      invited[who].password = (await admin.page.getByTestId('invited-password').textContent()) as string;
      expect(invited[who].password.length).toBeGreaterThanOrEqual(20);
      await admin.page
        .getByTestId('user-row')
        .filter({ hasText: invited[who].email })
        .getByRole('cell', { name: role, exact: true })
        .waitFor();
    }
    await accessible(admin.page, 'admin: users, a password shown once');

    await admin.page.getByRole('link', { name: 'Till tablets' }).click();
    await admin.page.getByRole('heading', { name: 'Till tablets', level: 1 }).waitFor();
    await admin.page.getByLabel('Tablet name').fill('Front till');
    await admin.page.getByRole('button', { name: 'Enrol tablet' }).click();
    const code = (await admin.page.getByTestId('enrolment-code').textContent()) as string;
    expect(await admin.page.getByTestId('enrolment-link').textContent()).toBe(
      `${stack.url}/#enrol=${encodeURIComponent(code)}`,
    );
    await admin.page.getByTestId('enrolment-qr').waitFor();
    await accessible(admin.page, 'admin: tablets, a code shown once');
    await shot(admin.page, 'journey-admin-tablet');
    expect(await counts()).toEqual({ partnerships: 1, users: 4, stores: 1, incidents: 0 });

    // 3. the till, at tablet size: the enrolment code, then a report with a photo
    const till = await newDevice(stack, TABLET);
    await till.page.goto('/');
    await till.page.getByRole('button', { name: 'Set up this till tablet instead' }).click();
    await till.page.getByLabel('Enrolment code').waitFor();
    await accessible(till.page, 'till: enrolment sign-in');
    await till.page.getByLabel('Enrolment code').fill(code);
    await till.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await till.page.getByRole('heading', { name: 'Report an incident' }).waitFor();
    expect(await till.page.getByTestId('role').textContent()).toBe('Till tablet');

    const narrative = 'A man put four jars of saffron in his coat pocket and walked out past the tills';
    const photo = await buildOrientedPhoto(600, 400);
    await till.page.getByRole('checkbox', { name: 'Shoplifting' }).check();
    await till.page.getByLabel('What happened, in your own words').fill(narrative);
    await till.page.getByText('Photos', { exact: true }).click();
    await till.page
      .getByLabel('Add photos')
      .setInputFiles({ name: 'shelf.jpg', mimeType: 'image/jpeg', buffer: photo });
    await till.page.getByLabel('Your name (for the exhibit label)').fill('Alex Pascoe');
    await accessible(till.page, 'till: report form with a photo');
    await till.page.getByTestId('file-report').click();
    const [exhibit] = await eventually(async () => {
      const rows = await query<{
        id: string;
        incident_id: string;
        reference: string;
        store: string;
        partnership_id: string;
      }>(
        `SELECT e.id, e.incident_id, e.reference, s.name AS store, i.partnership_id
           FROM exhibits e JOIN incidents i ON i.id = e.incident_id JOIN stores s ON s.id = i.store_id
          WHERE i.narrative = $1 AND e.sha256 = $2`,
        [narrative, sha256(photo)],
      );
      return rows.length ? rows : undefined;
    });
    expect(exhibit).toMatchObject({ store: 'Harbour Foods, Fore Street', partnership_id: partnership.id });
    await till.page.getByRole('tab', { name: /Sent and waiting/ }).click();
    const recent = till.page.getByTestId('recent-report').filter({ hasText: 'saffron' });
    await recent.waitFor();
    await accessible(till.page, 'till: sent and waiting');
    await shot(till.page, 'journey-till-sent');

    // 4. the coordinator finds the report by a word of its account
    const coordinator = await newDevice(stack, TABLET);
    await signIn(coordinator.page, invited.coordinator.email, invited.coordinator.password);
    const consoleNav = coordinator.page.getByRole('navigation', { name: 'Console pages' });
    await consoleNav.getByRole('link', { name: 'Incidents' }).click();
    const rows = coordinator.page.getByTestId('incident-row');
    await rows.first().waitFor();
    await accessible(coordinator.page, 'console: incidents');
    await coordinator.page.getByRole('searchbox', { name: 'Search reports' }).fill('saffron');
    await coordinator.page
      .getByRole('search', { name: 'Search reports' })
      .getByRole('button', { name: 'Search' })
      .click();
    await eventually(
      async () => (await rows.count()) === 1 && (await rows.first().textContent())?.includes('saffron'),
    );
    await rows.first().getByRole('button').click();
    expect(new URL(coordinator.page.url()).hash).toBe(`#/console/incidents/${exhibit.incident_id}`);
    const report = coordinator.page.getByRole('region', { name: 'Report' });
    await report.getByText(narrative).waitFor();
    await report.getByRole('img', { name: `Exhibit ${exhibit.reference}` }).waitFor();
    await accessible(coordinator.page, 'console: a report found by search');
    await shot(coordinator.page, 'journey-coordinator-search');

    // 5. the police officer finds it among the new reports, sees the photo, and opens a case
    const police = await newDevice(stack, TABLET);
    await signIn(police.page, invited.police.email, invited.police.password);
    await police.page.getByRole('heading', { name: 'Triage queue', level: 1 }).waitFor();
    await accessible(police.page, 'police: triage queue');
    await police.page.getByRole('search', { name: 'Search reports' }).getByRole('searchbox').fill('saffron');
    await police.page
      .getByRole('search', { name: 'Search reports' })
      .getByRole('button', { name: 'Search' })
      .click();
    const found = police.page.getByTestId('new-report');
    await eventually(
      async () => (await found.count()) === 1 && (await found.first().textContent())?.includes('saffron'),
    );
    await found.first().getByRole('button').click();
    await police.page.getByRole('img', { name: `Exhibit ${exhibit.reference}` }).waitFor();
    await police.page.getByRole('button', { name: `Open exhibit ${exhibit.reference} full size` }).click();
    const dialog = police.page.getByRole('dialog', { name: `Exhibit ${exhibit.reference}` });
    const full = dialog.getByRole('img', { name: `Exhibit ${exhibit.reference}, full size` });
    await full.waitFor();
    // the photo itself renders (stored 600 x 400 sideways, shown upright)
    const size = await eventually(async () => {
      const [w, h] = await full.evaluate((img) => {
        const i = img as unknown as { naturalWidth: number; naturalHeight: number; complete: boolean };
        return [i.complete ? i.naturalWidth : 0, i.naturalHeight];
      });
      return w > 0 && [w, h];
    });
    expect(size).toEqual([400, 600]);
    await accessible(police.page, 'police: the photo, full size');
    await shot(police.page, 'journey-police-photo');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // the officer's views (thumbnail and viewing copy) are in the access log
    const [officer] = await query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [
      invited.police.email,
    ]);
    const viewed = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_log
        WHERE action = 'consult' AND object_type = 'exhibit' AND object_id = $1 AND actor_id = $2 AND partnership_id = $3`,
      [exhibit.id, officer.id, partnership.id],
    );
    expect(viewed[0].n).toBeGreaterThanOrEqual(2);

    const openForm = police.page.getByRole('form', { name: 'Open a case' });
    await openForm
      .getByLabel('Why open a case')
      .fill('Repeat saffron thefts on Fore Street, photo of the offender');
    await openForm.getByRole('button', { name: 'Open a case' }).click();
    const caseView = police.page.getByTestId('case-view');
    await caseView.waitFor();
    expect(new URL(police.page.url()).hash).toMatch(/^#\/police\/cases\/[0-9a-f-]{36}$/);
    await caseView.getByText(narrative).waitFor();
    await caseView.getByRole('img', { name: `Exhibit ${exhibit.reference}` }).waitFor();
    // handed to the other officer, the case names them (not an id)
    await caseView.getByText('unassigned').waitFor();
    await caseView.getByText('Assignment', { exact: true }).click();
    await caseView.getByLabel('Officer').selectOption({ label: 'PC Sam Kernow' });
    await caseView.getByLabel('Reason for the assignment').fill('Works the Fore Street beat');
    await caseView.getByRole('button', { name: 'Assign', exact: true }).click();
    await caseView.getByText('assigned to PC Sam Kernow').waitFor();
    // and so does its row in the triage queue
    await police.page.getByTestId('triage-item').filter({ hasText: 'assigned to PC Sam Kernow' }).waitFor();
    await accessible(police.page, 'police: the case');
    await shot(police.page, 'journey-police-case');

    // 6. a list longer than a page: more reports from the tablet, through the api
    const device = await stack.api.http.post('/api/v1/auth/device', { credential: code });
    expect(device.status).toBe(200);
    for (let n = 1; n <= MORE_REPORTS; n += 1) {
      const filed = await postIncident(
        stack.api,
        device.body.accessToken as string,
        buildIncidentRequest({
          types: ['theft_shop'],
          narrative: `Routine report ${n}: a bag of crisps taken from the meal deal shelf`,
          occurredAt: new Date(Date.now() - (n + 2) * 3600_000).toISOString(),
        }),
      );
      expect(filed.status).toBe(201);
    }
    expect(await counts()).toMatchObject({ partnerships: 1, incidents: MORE_REPORTS + 1 });

    await coordinator.page
      .getByRole('search', { name: 'Search reports' })
      .getByRole('button', { name: 'Clear' })
      .click();
    await coordinator.page.getByLabel('Status').selectOption({ label: 'Every status' });
    // newest first: the first page holds 50 of the later reports, the till's report is beyond it
    await eventually(async () => (await rows.count()) === 50);
    expect(await rows.filter({ hasText: 'saffron' }).count()).toBe(0);
    await coordinator.page.getByTestId('load-more').click();
    await eventually(async () => (await rows.count()) === MORE_REPORTS + 1);
    const names = await rows.allTextContents();
    expect(names.findIndex((t) => t.includes('saffron'))).toBeGreaterThanOrEqual(50);
    expect(new Set(names).size).toBe(names.length);
    await coordinator.page.getByText(`Showing ${MORE_REPORTS + 1} reports, all there are`).waitFor();
    expect(await coordinator.page.getByTestId('load-more').count()).toBe(0);
    await accessible(coordinator.page, 'console: incidents, past the first page');
    await shot(coordinator.page, 'journey-coordinator-page-two');

    expect([...admin.errors, ...till.errors, ...coordinator.errors, ...police.errors]).toEqual([]);
    for (const d of [admin, till, coordinator, police]) {
      await d.context.close();
    }
  });
});
