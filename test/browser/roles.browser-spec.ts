import { randomUUID } from 'node:crypto';
import { Role } from '@app/auth';
import { buildIncidentRequest } from '@app/testing';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(60_000);

describe('each role in a browser, against the api, worker and radio', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ radio: true });
    // a serious report for the coordinator's review and the police queue
    const res = await stack.api.http.request('POST', '/api/v1/incidents', {
      token: stack.partnership.tokens[Role.Shopworker],
      headers: { 'idempotency-key': randomUUID() },
      body: buildIncidentRequest({
        types: ['robbery', 'threat'],
        weapon: 'knife',
        injury: 'minor',
        narrative: 'Man showed a knife at the till and took the cash drawer',
        cctvAvailable: true,
        cctvOverwriteOn: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      }),
    });
    expect(res.status).toBe(201);
    const opened = await stack.api.http.request('POST', '/api/v1/cases', {
      token: stack.partnership.tokens[Role.Police],
      body: { incidentId: (res.body as { id: string }).id, reason: 'Knife robbery' },
    });
    expect(opened.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const users = () => stack.partnership.users;

  it('a coordinator broadcasts an alert that a till tablet shows, sounds and acknowledges', async () => {
    const coord = await newDevice(stack, { width: 1366, height: 900 });
    await signIn(coord.page, users()[Role.Coordinator].email, users()[Role.Coordinator].password);
    await coord.page.getByRole('heading', { name: 'Radio', exact: true }).waitFor();
    await eventually(async () =>
      (await coord.page.getByTestId('radio-state').textContent())?.includes('live'),
    );

    const till = await newDevice(stack, { width: 820, height: 1180 });
    await signIn(till.page, users()[Role.Shopworker].email, users()[Role.Shopworker].password);
    await eventually(async () =>
      (await till.page.getByTestId('radio-state').textContent())?.includes('live'),
    );

    const message = 'Male, grey hoodie, heading to the market square with razors';
    await coord.page.getByRole('radio', { name: 'Offender sighted' }).check();
    await coord.page.getByLabel('Message').fill(message);
    await coord.page.getByTestId('send-alert').click();
    await coord.page
      .getByRole('status')
      .filter({ hasText: /Alert #\d+ sent/ })
      .waitFor();

    const banner = till.page.getByTestId('alert-banner').filter({ hasText: message });
    await banner.waitFor({ timeout: 15_000 });
    await shot(till.page, 'till-alert-banner');
    await banner.getByRole('button', { name: 'Acknowledge' }).click();
    await banner.waitFor({ state: 'detached' });

    await eventually(async () =>
      (await coord.page.getByTestId('ack-status').first().textContent())?.includes('Acknowledged by 1 of'),
    );
    await eventually(async () =>
      (await coord.page.getByTestId('presence').textContent())?.includes('1 of 2 stores on air'),
    );
    await coord.page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Incidents' }).click();
    await coord.page.getByTestId('incident-row').first().getByRole('button').click();
    await coord.page.getByText('Man showed a knife at the till').waitFor();
    await shot(coord.page, 'coordinator-console');
    expect([...coord.errors, ...till.errors]).toEqual([]);
    await coord.context.close();
    await till.context.close();
  });

  it('police see the triage queue with the reasons for each priority', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 1280, height: 900 });
    await signIn(page, users()[Role.Police].email, users()[Role.Police].password);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    const first = page.getByTestId('triage-item').first();
    await first.getByText('A weapon was seen').waitFor();
    await first.getByText(/CCTV will be overwritten on .* \(in \d+ day\(s\)\)/).waitFor();
    await first.getByRole('button').click();
    await page.getByRole('region', { name: 'Case' }).getByText('Man showed a knife at the till').waitFor();
    expect(await page.getByText('not available yet').count()).toBe(0);
    await shot(page, 'police-triage');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an analyst sees the statistics dashboard, aggregates only', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 1280, height: 900 });
    await signIn(page, users()[Role.Analyst].email, users()[Role.Analyst].password);
    await page.getByRole('heading', { name: 'Campaign statistics' }).waitFor();
    await page.getByText('Aggregates only').waitFor();
    await eventually(async () => (await page.locator('figure.chart canvas').count()) === 4);
    expect(await page.getByText('not available yet').count()).toBe(0);
    await shot(page, 'analyst-dashboard');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an admin lands on the admin screen, a coordinator on the console and a store manager on the till', async () => {
    for (const [role, screen] of [
      [Role.Admin, 'admin'],
      [Role.Coordinator, 'console'],
      [Role.StoreManager, 'till'],
    ] as const) {
      const { context, page } = await newDevice(stack);
      await signIn(page, users()[role].email, users()[role].password);
      expect(await page.locator('main').getAttribute('data-screen')).toBe(screen);
      if (screen === 'console') {
        // no pack has been built here, so no signing key is published yet
        await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Settings' }).click();
        const settings = page.getByRole('region', { name: 'Partnership settings' });
        await settings.getByRole('heading', { name: 'Evidence signing keys' }).waitFor();
        await settings.getByTestId('signing-keys-empty').getByText('No pack has been signed yet').waitFor();
        expect(await settings.getByTestId('signing-key').count()).toBe(0);
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await context.close();
    }
  });
});
