import { createHash } from 'node:crypto';
import { Role } from '@app/auth';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(60_000);

describe('till tablet offline queue', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const count = async (narrative: string): Promise<number> => {
    const rows = (await stack.api.db.owner.query('SELECT count(*)::int AS n FROM incidents WHERE narrative = $1', [
      narrative,
    ])) as { n: number }[];
    return rows[0].n;
  };

  it('keeps a report filed while offline and delivers it exactly once when the network returns', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 820, height: 1180 });
    const { email, password } = stack.partnership.users[Role.Shopworker];
    await signIn(page, email, password);
    await page.getByRole('heading', { name: 'Report an incident' }).waitFor();

    await context.setOffline(true);
    await eventually(async () => (await page.getByTestId('sync-status').textContent())?.includes('Offline'));

    const narrative = `Took two bottles of wine and pushed past me at the door ${Date.now()}`;
    await page.getByRole('checkbox', { name: 'Shoplifting' }).check();
    await page.getByRole('checkbox', { name: 'Verbal abuse' }).check();
    await page.getByLabel('What happened, in your own words').fill(narrative);
    await page.getByLabel('Exact words said to you (if any)').fill('Move or I will make you move');
    // a photo, fingerprinted on the device, and a witness statement with the s.9 declaration
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const sha = createHash('sha256').update(png).digest('hex');
    await page.getByText('Photos', { exact: true }).click();
    await page.getByLabel('Add photos').setInputFiles({ name: 'door.png', mimeType: 'image/png', buffer: png });
    await eventually(async () => (await page.getByTestId('photo-hash').textContent()) === `${sha.slice(0, 16)}…`);
    await page.getByLabel('Your name (for the exhibit label)').fill('Sam Taylor');
    await page.getByText('Witness statement (MG11)').click();
    await page.getByRole('button', { name: 'Take a witness statement' }).click();
    await page.getByLabel('Witness full name').fill('Alex Morgan');
    await page.getByLabel('Statement', { exact: true }).fill('I saw a man take two bottles of wine and push past Sam.');
    await page.getByLabel('I have read the declaration above and it is true').check();
    await page.getByLabel('Signature (type your full name)').fill('Alex Morgan');
    // the optional impact statement, here the victim's own (a VPS), sent after the report like the MG11
    await page.getByText('Impact statement (business or personal)').click();
    await page.getByRole('button', { name: 'Add an impact statement' }).click();
    await page.getByLabel('The person it was done to (Victim Personal Statement)').check();
    await page.getByLabel('Made by (your full name)').fill('Sam Patel');
    await page.getByLabel('How it has affected you').fill('I have asked not to work evenings.');
    await eventually(async () => (await page.getByTestId('draft-state').textContent())?.includes('saved'));
    await shot(page, 'till-report-offline-filled');
    await page.getByTestId('file-report').click();

    // queued on the device, visibly, and nothing on the server
    await eventually(async () => (await page.getByTestId('sync-status').getAttribute('data-waiting')) === '1');
    await page.getByTestId('queue-item').first().waitFor();
    expect(await page.getByTestId('queue-item').first().getAttribute('data-state')).toBe('queued');
    // the photo has no exhibit reference until its upload is answered
    await page.getByTestId('queue-photo').first().getByText('Not yet uploaded').waitFor();
    expect(await page.getByTestId('exhibit-reference').count()).toBe(0);
    await shot(page, 'till-queue-offline');
    expect(await count(narrative)).toBe(0);

    // the queue survives a reload of the page (IndexedDB), still offline until we reconnect
    await context.setOffline(false);
    await context.setOffline(true);
    expect(await count(narrative)).toBe(0);

    await context.setOffline(false);
    await eventually(async () => (await count(narrative)) === 1);
    await eventually(async () => (await page.getByTestId('queue-item').first().getAttribute('data-state')) === 'sent');
    await eventually(async () => (await page.getByTestId('sync-status').textContent())?.includes('everything is sent'));
    const [incident] = (await stack.api.db.owner.query('SELECT id FROM incidents WHERE narrative = $1', [narrative])) as {
      id: string;
    }[];
    await eventually(async () => {
      const rows = (await stack.api.db.owner.query(
        'SELECT count(*)::int AS n FROM witness_statements WHERE incident_id = $1',
        [incident.id],
      )) as { n: number }[];
      return rows[0].n === 1;
    });
    await eventually(async () => {
      const rows = (await stack.api.db.owner.query(
        'SELECT count(*)::int AS n FROM exhibits WHERE incident_id = $1 AND sha256 = $2',
        [incident.id, sha],
      )) as { n: number }[];
      return rows[0].n === 1;
    });
    // the exhibit reference the upload answered with is shown beside the photo, for the MG11
    const [exhibit] = (await stack.api.db.owner.query('SELECT reference FROM exhibits WHERE incident_id = $1 AND sha256 = $2', [
      incident.id,
      sha,
    ])) as { reference: string }[];
    expect(exhibit.reference).toBe('ST/1'); // Sam Taylor produced it
    await eventually(async () => (await page.getByTestId('exhibit-reference').first().textContent()) === exhibit.reference);
    await page.getByText(`I produced exhibit ${exhibit.reference}`).waitFor();
    await eventually(async () => {
      const rows = (await stack.api.db.owner.query(
        'SELECT count(*)::int AS n FROM impact_statements WHERE incident_id = $1',
        [incident.id],
      )) as { n: number }[];
      return rows[0].n === 1;
    });
    await shot(page, 'till-queue-synced');

    // another sync pass, and a reload that reopens the queue, send nothing twice
    await page.reload();
    await page.getByTestId('sync-status').waitFor();
    await page.getByRole('tab', { name: /Sent and waiting/ }).click();
    await eventually(async () => (await page.getByTestId('queue-item').first().getAttribute('data-state')) === 'sent');
    expect(await count(narrative)).toBe(1);
    // the statement went with its own Idempotency-Key (recorded with it), and only once
    const statements = (await stack.api.db.owner.query(
      `SELECT s.id, k.key FROM witness_statements s
         LEFT JOIN idempotency_keys k ON k.resource_type = 'witness_statement' AND k.resource_id = s.id
        WHERE s.incident_id = $1`,
      [incident.id],
    )) as { id: string; key: string | null }[];
    expect(statements).toEqual([{ id: expect.any(String), key: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    // so did the impact statement, as given
    const impacts = (await stack.api.db.owner.query(
      `SELECT s.kind, s.made_by AS "madeBy", s.text, k.key FROM impact_statements s
         LEFT JOIN idempotency_keys k ON k.resource_type = 'impact_statement' AND k.resource_id = s.id
        WHERE s.incident_id = $1`,
      [incident.id],
    )) as { kind: string; madeBy: string; text: string; key: string | null }[];
    expect(impacts).toEqual([
      {
        kind: 'vps',
        madeBy: 'Sam Patel',
        text: 'I have asked not to work evenings.',
        key: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    // the reference was kept on the device: still shown after the reload
    expect(await page.getByTestId('exhibit-reference').first().textContent()).toBe(exhibit.reference);
    const [stored] = (await stack.api.db.owner.query(
      "SELECT types, offenders FROM incidents WHERE narrative = $1",
      [narrative],
    )) as { types: string[] | string; offenders: { exactWords?: string }[] }[];
    expect(String(stored.types)).toContain('theft_shop');
    expect(stored.offenders[0].exactWords).toBe('Move or I will make you move');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('never loses typed input: a draft is still there after a reload, and missing answers are named', async () => {
    const { context, page } = await newDevice(stack, { width: 390, height: 844 });
    const { email, password } = stack.partnership.users[Role.StoreManager];
    await signIn(page, email, password);
    await page.getByLabel('What happened, in your own words').fill('Half-typed account of the incident');
    await page.getByTestId('file-report').click();
    await page.getByRole('alert').filter({ hasText: 'Choose at least one thing that happened' }).waitFor();
    await shot(page, 'till-phone-validation');
    await eventually(async () => (await page.getByTestId('draft-state').textContent())?.includes('saved'));
    await page.reload();
    await eventually(
      async () => (await page.getByLabel('What happened, in your own words').inputValue()) === 'Half-typed account of the incident',
    );
    await context.close();
  });
});
