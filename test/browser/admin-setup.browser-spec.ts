import QRCode from 'qrcode';
import { bootstrapPassword, runBootstrap } from '@app/testing';
import { a11yProblems } from './a11y';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(120_000);

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
  }
  return text;
}

/**
 * A new partnership set up without a developer: from the bootstrap command's first admin to a
 * till tablet that files a report, every step through the Admin screen.
 */
describe('setting up a partnership from the admin screen', () => {
  let stack: Stack;
  let adminPassword: string;
  beforeAll(async () => {
    stack = await startStack();
    const made = await runBootstrap(stack.api.db.config, [
      ...['--name', 'Lakeside BID', '--slug', 'lakeside', '--police-force-area', 'Cumbria Constabulary'],
      ...['--region', 'North West', '--admin-email', 'admin@lakeside.example', '--admin-name', 'Robin Admin'],
    ]);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    adminPassword = bootstrapPassword(made.stdout) as string;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const login = (email: string, password: string) => stack.api.http.post('/api/v1/auth/login', { email, password });

  it('the first admin invites people, adds a store, enrols a tablet, and the tablet files a report', async () => {
    const admin = await newDevice(stack, { width: 1024, height: 768 });
    const page = admin.page;
    await signIn(page, 'admin@lakeside.example', adminPassword);
    // the admin's home is the Admin screen, not a refusal
    expect(await page.locator('main').getAttribute('data-screen')).toBe('admin');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(await page.getByText('You do not have permission').count()).toBe(0);

    // a store first, so the shop roles have one to belong to
    await page.getByRole('link', { name: 'Stores and businesses' }).click();
    await page.getByRole('heading', { name: 'Stores and businesses', level: 1 }).waitFor();
    await page.getByLabel('Business name').fill('Lakeside Grocers Ltd');
    await page.getByRole('button', { name: 'Add business' }).click();
    await page.getByTestId('businesses').getByText('Lakeside Grocers Ltd').waitFor();
    await page.getByLabel('Store name').fill('Lakeside Grocers, Quay Street');
    await page.getByLabel('Address or unit').fill('4 Quay Street');
    await page.getByLabel('Postcode').fill('la23 1aa');
    await page.getByRole('button', { name: 'Add store' }).click();
    await page.getByTestId('stores').getByText('LA23 1AA').waitFor();

    // people: a coordinator and a police officer, each with a password shown once that works
    await page.getByRole('link', { name: 'Users' }).click();
    for (const [name, email, role] of [
      ['Casey Coordinator', 'casey@lakeside.example', 'Coordinator'],
      ['PC Pat Police', 'pat@police.example', 'Police officer'],
    ] as const) {
      await page.getByLabel('Full name').fill(name);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Role').selectOption({ label: role });
      await page.getByRole('button', { name: 'Invite' }).click();
      await eventually(async () => (await page.getByTestId('invited-email').textContent()) === email);
      const password = (await page.getByTestId('invited-password').textContent()) as string;
      expect((await login(email, password)).status).toBe(200);
      await page.getByTestId('user-row').filter({ hasText: email }).getByRole('cell', { name: role, exact: true }).waitFor();
    }
    // disabling stops sign-in; re-enabling restores it
    const pat = page.getByTestId('user-row').filter({ hasText: 'pat@police.example' });
    await pat.getByRole('button', { name: 'Disable' }).click();
    await pat.getByRole('cell', { name: 'Disabled' }).waitFor();
    await pat.getByRole('button', { name: 'Re-enable' }).click();
    await pat.getByRole('cell', { name: 'Active' }).waitFor();
    await shot(page, 'admin-users');

    // a tablet for the store: a code and a QR code of the sign-in link, shown once
    await page.getByRole('link', { name: 'Till tablets' }).click();
    await page.getByLabel('Tablet name').fill('Front till');
    await page.getByRole('button', { name: 'Enrol tablet' }).click();
    const code = (await page.getByTestId('enrolment-code').textContent()) as string;
    const link = (await page.getByTestId('enrolment-link').textContent()) as string;
    expect(link).toBe(`${stack.url}/#enrol=${encodeURIComponent(code)}`);
    // the QR code is that link
    const qr = (await page.getByTestId('enrolment-qr').getAttribute('src')) as string;
    const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(decodeURIComponent(qr.replace('data:image/svg+xml;charset=utf-8,', ''))).toBe(svg);
    await shot(page, 'admin-tablet-enrolled');

    // the tablet types the code and files a report for its store
    const tablet = await newDevice(stack, { width: 820, height: 1180 });
    await tablet.page.goto('/');
    await tablet.page.getByRole('button', { name: 'Set up this till tablet instead' }).click();
    await tablet.page.getByLabel('Enrolment code').fill(code);
    await tablet.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await tablet.page.getByRole('heading', { name: 'Report an incident' }).waitFor();
    expect(await tablet.page.getByTestId('role').textContent()).toBe('Till tablet');
    const narrative = 'Two bottles of gin taken from the spirits aisle, walked out past the tills';
    await tablet.page.getByRole('checkbox', { name: 'Shoplifting' }).check();
    await tablet.page.getByLabel('What happened, in your own words').fill(narrative);
    await tablet.page.getByTestId('file-report').click();
    await eventually(async () => (await tablet.page.getByTestId('queue-item').first().getAttribute('data-state')) === 'sent');
    const filed = (await stack.api.db.owner.query(
      `SELECT i.id, s.name FROM incidents i JOIN stores s ON s.id = i.store_id WHERE i.narrative = $1`,
      [narrative],
    )) as { id: string; name: string }[];
    expect(filed).toEqual([{ id: expect.any(String), name: 'Lakeside Grocers, Quay Street' }]);

    // scanning the QR code opens the link: the tablet signs in and the code leaves the address bar
    const scanned = await newDevice(stack, { width: 820, height: 1180 });
    await scanned.page.goto(link);
    await scanned.page.getByRole('heading', { name: 'Report an incident' }).waitFor();
    expect(new URL(scanned.page.url()).hash).toBe('#/till');

    // revoking the tablet ends its sign-in
    await page.getByTestId('device-row').filter({ hasText: 'Front till' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('device-row').filter({ hasText: 'Front till' }).getByText('Revoked').waitFor();
    expect((await stack.api.http.post('/api/v1/auth/device', { credential: code })).status).toBe(401);

    // a talk group of the store, kept after a reload
    await page.getByRole('link', { name: 'Talk groups' }).click();
    await page.getByLabel('Talk group name').fill('Quayside');
    await page.getByRole('button', { name: 'Add talk group' }).click();
    const group = page.getByTestId('talk-group').filter({ hasText: 'Quayside' });
    await group.getByLabel('Lakeside Grocers, Quay Street').check();
    await group.getByRole('button', { name: 'Save stores' }).click();
    await group.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
    await page.reload();
    await eventually(() => page.getByTestId('talk-group').filter({ hasText: 'Quayside' }).getByLabel('Lakeside Grocers, Quay Street').isChecked());

    // the access log shows the invitations and its chain verifies
    await page.getByRole('link', { name: 'Access log' }).click();
    await page.getByLabel('Show').selectOption({ label: 'Users' });
    await page.getByTestId('access-log').getByText('Robin Admin').first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await eventually(async () => (await page.getByTestId('chain-verdict').textContent())?.startsWith('The chain is intact'));
    await shot(page, 'admin-access-log');

    // the appeal contact printed on exclusion letters, kept
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Appeal contact').fill('Lakeside BID, 1 Quay Street, LA23 1AA');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
    await page.reload();
    await eventually(async () => (await page.getByLabel('Appeal contact').inputValue()) === 'Lakeside BID, 1 Quay Street, LA23 1AA');

    // a legal hold on the tablet's report, by its console address, then released
    await page.getByRole('link', { name: 'Legal holds' }).click();
    await page.getByLabel('Its reference').fill(`${stack.url}/#/console/incidents/${filed[0].id}`);
    await page.getByLabel('Why it must be kept').fill('Insurer asked us to preserve it');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.getByTestId('legal-hold').filter({ hasText: 'Insurer asked' }).waitFor();
    const held = (await stack.api.db.owner.query(`SELECT object_id FROM legal_holds`)) as { object_id: string }[];
    expect(held).toEqual([{ object_id: filed[0].id }]);
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByTestId('legal-hold').waitFor({ state: 'detached' });

    // an analyst key for an organisation the statistics are shared with, shown once, then revoked
    await page.getByRole('link', { name: 'Analyst keys' }).click();
    await page.getByLabel('Organisation name').fill('Shopworkers Union');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.getByRole('button', { name: 'Share statistics' }).click();
    await page.getByTestId('organisations').getByText('sees our statistics').waitFor();
    await page.getByLabel('Key name').fill('Research team');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const secret = (await page.getByTestId('issued-secret').textContent()) as string;
    const stats = () => stack.api.http.request('GET', '/api/v1/stats/headline', { headers: { authorization: `ApiKey ${secret}` } });
    expect((await stats()).status).toBe(200);
    await page.getByTestId('analyst-key').getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('analyst-key').getByText('revoked').waitFor();
    expect((await stats()).status).toBe(401);

    // a subject access export for the coordinator, saved as a file
    await page.getByRole('link', { name: 'Subject access' }).click();
    await page.getByLabel('Email').fill('casey@lakeside.example');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Make the export' }).click()]);
    const exported = JSON.parse(await streamText(await download.createReadStream())) as { subject: { email: string } };
    expect(exported.subject.email).toBe('casey@lakeside.example');
    await page.getByTestId('sar-export').waitFor();

    expect([...admin.errors, ...tablet.errors, ...scanned.errors]).toEqual([]);
    await scanned.context.close();
    await tablet.context.close();
    await admin.context.close();
  });

  it.each([
    [1024, 768],
    [390, 844],
  ])('every admin page passes the accessibility checks at %ix%i', async (width, height) => {
    const { context, page, errors } = await newDevice(stack, { width, height });
    await signIn(page, 'admin@lakeside.example', adminPassword);
    const links = await page.getByRole('navigation', { name: 'Admin pages' }).getByRole('link').all();
    const names = await Promise.all(links.map((l) => l.textContent()));
    expect(names.length).toBe(9);
    const found: Record<string, string[]> = {};
    for (const name of names) {
      await page.getByRole('navigation', { name: 'Admin pages' }).getByRole('link', { name: name as string }).click();
      await page.getByRole('heading', { name: name as string, level: 1 }).waitFor();
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      const problems = await a11yProblems(page);
      if (problems.length) {
        found[name as string] = problems;
      }
    }
    expect(found).toEqual({});
    expect(errors).toEqual([]);
    await context.close();
  });
});
