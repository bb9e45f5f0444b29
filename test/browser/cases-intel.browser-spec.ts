import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { Role } from '@app/auth';
import { SerialOffenderRepository } from '@app/offenders';
import { SystemDb, TenantDb } from '@app/database';
import { buildIncidentRequest, seedIncident } from '@app/testing';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(120_000);

const DAY = 24 * 3600 * 1000;

/**
 * Police from the triage queue to a downloaded pack (with the store answering their evidence
 * request in between), a coordinator accepting a suggested link and reviewing a serial flag, and a
 * till tablet opening the app shell offline.
 */
describe('cases, intelligence and the offline shell in a browser', () => {
  let stack: Stack;
  let incidentId: string;
  let subjectId: string;
  let suggestedId: string;

  const users = () => stack.partnership.users;
  const token = (r: Role) => stack.partnership.tokens[r];
  const post = async (path: string, body: unknown, role: Role, headers: Record<string, string> = {}) => {
    const res = await stack.api.http.request('POST', `/api/v1${path}`, { token: token(role), body, headers });
    if (res.status >= 300) {
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as { id: string };
  };

  beforeAll(async () => {
    stack = await startStack({ radio: true }); // the worker builds packs
    // a serious report from the shop worker's store, and a police case opened from it
    incidentId = (
      await post(
        '/incidents',
        buildIncidentRequest({
          types: ['robbery', 'threat'],
          weapon: 'knife',
          injury: 'minor',
          narrative: 'Showed a knife at the kiosk and took the cigarettes',
          cctvAvailable: true,
          cctvOverwriteOn: new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10),
        }),
        Role.Shopworker,
        { 'idempotency-key': randomUUID() },
      )
    ).id;
    await post('/cases', { incidentId, reason: 'Knife robbery, CCTV about to be overwritten' }, Role.Police);

    // a subject with three linked thefts under £200 (a serial flag) and one unlinked report that
    // matches the description (a suggestion)
    subjectId = (
      await post(
        '/subjects',
        {
          kind: 'id_sought',
          description: { hair: 'ginger beard', usualClothing: 'grey hoodie, white trainers' },
        },
        Role.Coordinator,
      )
    ).id;
    const p = stack.partnership;
    for (const n of [0, 1, 2]) {
      const id = await seedIncident(stack.api.db.owner, {
        partnershipId: p.partnershipId,
        storeId: p.storeIds[n % 2],
        reportedBy: p.users.shopworker.id,
        occurredAt: new Date(Date.now() - (10 - n) * DAY),
        valuePence: 15_000,
      });
      await post(`/subjects/${subjectId}/incidents`, { incidentId: id }, Role.Coordinator);
    }
    const ds = stack.api.app.get(DataSource);
    await new SerialOffenderRepository(new TenantDb(ds), new SystemDb(ds)).refreshSubject(
      p.partnershipId,
      subjectId,
      'test',
    );
    suggestedId = await seedIncident(stack.api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(Date.now() - DAY),
      valuePence: 4_000,
      offenders: [{ freeText: 'Man with a ginger beard in a grey hoodie' }] as never,
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('police go from the triage queue to a downloaded pack; the store answers their evidence request', async () => {
    const police = await newDevice(stack, { width: 1366, height: 900 });
    await signIn(police.page, users()[Role.Police].email, users()[Role.Police].password);
    const item = police.page.getByTestId('triage-item').first();
    await item.getByText('A weapon was seen').waitFor();
    await item.getByText(/CCTV will be overwritten on/).waitFor();
    await shot(police.page, 'police-triage-queue');
    await item.getByRole('button').click();
    const view = police.page.getByTestId('case-view');
    await view.getByText('Showed a knife at the kiosk').waitFor();

    // ask the store for CCTV
    await view.getByLabel('What you need').selectOption('cctv');
    await view
      .getByLabel('Message to the store')
      .fill('Please keep and send the till camera footage from 14:00 to 14:30.');
    await view.getByRole('button', { name: 'Send request' }).click();
    await view.getByTestId('case-request').filter({ hasText: 'Waiting for the store' }).waitFor();

    // the store sees it on the till (phone size) and answers
    const store = await newDevice(stack, { width: 390, height: 844 });
    await signIn(store.page, users()[Role.Shopworker].email, users()[Role.Shopworker].password);
    await store.page.getByRole('tab', { name: 'Police requests' }).click();
    const req = store.page.getByTestId('store-request').first();
    await req.getByText('till camera footage').waitFor();
    await shot(store.page, 'store-evidence-request-phone');
    await req.getByLabel('Your answer').fill('Footage saved to USB, exhibit SK/1, collect from the manager.');
    await req.getByRole('button', { name: 'Send answer' }).click();
    await store.page.getByText('No requests.').waitFor();
    await store.page.getByRole('tab', { name: 'Case updates' }).click();
    await store.page
      .getByTestId('case-update')
      .filter({ hasText: 'The police have opened a case' })
      .first()
      .waitFor();
    await shot(store.page, 'store-case-updates-phone');

    // police see the answer, change status with a reason, build and download the pack
    await view.getByRole('button', { name: 'Check for answers' }).click();
    await view.getByText('Footage saved to USB, exhibit SK/1').waitFor();
    await view.locator('summary', { hasText: 'Change status' }).click();
    await view.getByLabel('New status').selectOption('in_triage');
    await view.getByLabel('Reason (kept in the case history)').fill('Footage received, reviewing');
    await view.getByRole('button', { name: 'Change status' }).click();
    await view.getByRole('heading', { name: /In triage/ }).waitFor();

    await view.getByRole('button', { name: 'Build the evidence pack' }).click();
    await eventually(
      async () => (await view.getByTestId('pack').getAttribute('data-status')) === 'ready',
      60_000,
    );
    await shot(police.page, 'police-case-pack-ready');
    await view.getByLabel('Recipient').fill('CPS Wessex, reviewing lawyer A. Khan');
    await view.getByLabel('Purpose').fill('Charging decision');
    const [download] = await Promise.all([
      police.page.waitForEvent('download'),
      view.getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a ZIP
    expect(download.suggestedFilename()).toMatch(/^evidence-pack-.*\.zip$/);
    await view.getByText(/recorded as a disclosure to CPS Wessex/).waitFor();
    const log = (await stack.api.db.owner.query(
      `SELECT recipients, justification FROM access_log WHERE action = 'disclose' AND object_type = 'evidence_pack' AND actor_id = $1`,
      [users()[Role.Police].id],
    )) as { recipients: string[]; justification: string }[];
    expect(log).toEqual([
      { recipients: ['CPS Wessex, reviewing lawyer A. Khan'], justification: 'Charging decision' },
    ]);
    await shot(police.page, 'police-pack-downloaded');
    expect([...police.errors, ...store.errors]).toEqual([]);
    await police.context.close();
    await store.context.close();
  });

  it('a coordinator links a suggested report to a subject and reviews a serial flag', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 1366, height: 900 });
    await signIn(page, users()[Role.Coordinator].email, users()[Role.Coordinator].password);
    // the key that signed the pack built above is published in the partnership's settings
    const [pack] = (await stack.api.db.owner.query(
      `SELECT key_fingerprint AS fingerprint FROM evidence_packs WHERE status = 'ready'`,
    )) as { fingerprint: string }[];
    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Settings' }).click();
    const settings = page.getByRole('region', { name: 'Partnership settings' });
    const key = settings.getByTestId('signing-key');
    await key.first().waitFor();
    expect(await key.count()).toBe(1);
    expect(await key.first().getAttribute('data-current')).toBe('true');
    expect(await key.first().getByTestId('signing-key-fingerprint').textContent()).toBe(pack.fingerprint);
    await settings.getByText(`node verify.mjs . --fingerprint ${pack.fingerprint}`).waitFor();
    await settings.scrollIntoViewIfNeeded();
    await shot(page, 'coordinator-signing-keys');

    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Subjects' }).click();
    const intel = page.getByRole('region', { name: 'Subjects' });
    await intel.getByTestId('subject-row').first().getByRole('button').click();
    const view = intel.getByTestId('subject-view');
    await eventually(async () => (await view.getByTestId('subject-link').count()) === 3);
    const suggestion = view.locator(`[data-testid=suggestion][data-incident="${suggestedId}"]`);
    await suggestion.waitFor();
    // nothing is linked until a person accepts it
    const linked = async () =>
      (
        (await stack.api.db.owner.query(
          'SELECT count(*)::int AS n FROM subject_incidents WHERE subject_id = $1 AND incident_id = $2',
          [subjectId, suggestedId],
        )) as { n: number }[]
      )[0].n;
    expect(await linked()).toBe(0);
    await suggestion.getByRole('button', { name: 'Read the report' }).click();
    await shot(page, 'coordinator-subject-suggestion');
    await suggestion.getByRole('button', { name: 'Link this report' }).click();
    await eventually(async () => (await view.getByTestId('subject-link').count()) === 4);
    expect(await linked()).toBe(1);

    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Serial-offender flags' }).click();
    const flag = page.getByRole('region', { name: 'Serial-offender flags' }).getByTestId('serial-flag').first();
    await flag
      .getByTestId('legal-consequence')
      .getByText(/values aggregate/)
      .waitFor();
    await shot(page, 'coordinator-serial-flag');
    await flag.getByLabel('Note (required to dismiss)').fill('Pattern confirmed against till CCTV');
    await flag.getByRole('button', { name: 'Mark reviewed' }).click();
    await eventually(async () => {
      const rows = (await stack.api.db.owner.query(
        'SELECT state, decision_note FROM serial_flags WHERE subject_id = $1',
        [subjectId],
      )) as {
        state: string;
        decision_note: string | null;
      }[];
      return rows.some((r) => r.state === 'reviewed');
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('police see the flag and a serious report before any case, with reasons, and open a case from the flag', async () => {
    // a hate-aggravated report no case holds yet (the coordinator reviewed the flag above)
    const hateId = (
      await post(
        '/incidents',
        buildIncidentRequest({
          types: ['hate_aggravated_abuse'],
          narrative: 'Shouted abuse at the cashier about her religion',
        }),
        Role.Shopworker,
        { 'idempotency-key': randomUUID() },
      )
    ).id;
    const { context, page, errors } = await newDevice(stack, { width: 1366, height: 900 });
    await signIn(page, users()[Role.Police].email, users()[Role.Police].password);
    const queue = page.getByRole('list', { name: 'Triage queue in priority order' });
    // the reviewed flag, with what it rests on now (the coordinator linked one more report above)
    const [row] = (await stack.api.db.owner.query(
      `SELECT id, cardinality(incident_ids)::int AS n, total_pence FROM serial_flags
        WHERE subject_id = $1 AND state = 'reviewed'`,
      [subjectId],
    )) as { id: string; n: number; total_pence: string }[];
    const flagId = row.id;
    const flag = queue.locator(`[data-testid=triage-item][data-kind=serial_flag][data-id="${flagId}"]`);
    await flag.getByText('Reviewed by the partnership').waitFor();
    await flag
      .getByText(
        `Serial offender: ${row.n} thefts of at most £200.00 each, together £${(Number(row.total_pence) / 100).toFixed(2)}`,
      )
      .waitFor();
    const report = queue.locator(`[data-testid=triage-item][data-kind=report][data-id="${hateId}"]`);
    await report.getByText('Hate-aggravated abuse (+20)').waitFor();
    await shot(page, 'police-triage-flags-and-reports');

    const toggle = flag.getByRole('button', { name: /^Open a case from serial flag S-/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const form = flag.getByRole('form', { name: /^Open a case from serial flag S-/ });
    await form.getByLabel('Why open a case').fill('Prolific series across both stores');
    await form.getByRole('button', { name: 'Open a case' }).click();
    // the case opens at its address; the flag has left the queue and its case is in it
    const view = page.getByTestId('case-view');
    await view.waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/police\/cases\/[0-9a-f-]{36}$/);
    await eventually(async () => (await flag.count()) === 0);
    await queue
      .locator('[data-testid=triage-item][data-kind=case]', { hasText: 'Serial offending' })
      .waitFor();
    const [state] = (await stack.api.db.owner.query('SELECT state FROM serial_flags WHERE id = $1', [
      flagId,
    ])) as { state: string }[];
    expect(state.state).toBe('case_opened');
    await shot(page, 'police-case-from-flag');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a till tablet opens the app shell offline after a first visit; no api response is cached', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 820, height: 1180 });
    await signIn(page, users()[Role.Shopworker].email, users()[Role.Shopworker].password);
    await page.getByRole('heading', { name: 'Report an incident' }).waitFor();
    // browser-side code as strings: this program's type check has no DOM
    // The app registers /sw.js on its load event; registering again returns that same registration,
    // and waits on it without depending on when load fired (an unbounded wait on
    // serviceWorker.ready once hung a loaded CI run).
    await page.evaluate(`navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(() => true)`);
    await eventually(
      async () => (await page.evaluate('!!navigator.serviceWorker.controller')) === true,
      60_000,
    );

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Report an incident' }).waitFor();
    // The shell came from the service worker: the network is still down for the new page...
    expect(await page.evaluate(`fetch('/api/health').then(() => 'answered', () => 'failed')`)).toBe('failed');
    // ...but Debian's Chromium 150 gives a document loaded under offline emulation navigator.onLine
    // true (a tablet really offline reads false); emulating offline again tells this document too.
    await context.setOffline(false);
    await context.setOffline(true);
    await eventually(async () => (await page.getByTestId('sync-status').textContent())?.includes('Offline'));
    await shot(page, 'till-offline-app-shell');
    const cached = (await page.evaluate(`(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const req of await (await caches.open(name)).keys()) {
          urls.push(new URL(req.url).pathname);
        }
      }
      return urls;
    })()`)) as string[];
    expect(cached).toContain('/');
    expect(cached.some((u) => u.startsWith('/assets/index-'))).toBe(true);
    expect(cached.filter((u) => u.startsWith('/api/'))).toEqual([]);
    await context.setOffline(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
