import { randomUUID } from 'node:crypto';
import { Role } from '@app/auth';
import { buildIncidentRequest } from '@app/testing';
import { newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(90_000);

/**
 * Each object has its own address: a page opened straight at it shows the object with no click
 * (so these fail if the hash routing breaks), choosing from a list changes the address, the back
 * button returns to the list, and an address naming nothing says so instead of a blank panel.
 */
describe('objects at their own addresses', () => {
  let stack: Stack;
  let incidentId: string;
  let caseId: string;
  let subjectId: string;

  const users = () => stack.partnership.users;
  const post = async (path: string, body: unknown, role: Role, headers: Record<string, string> = {}) => {
    const res = await stack.api.http.request('POST', `/api/v1${path}`, {
      token: stack.partnership.tokens[role],
      body,
      headers,
    });
    if (res.status >= 300) {
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as { id: string };
  };

  beforeAll(async () => {
    stack = await startStack();
    incidentId = (
      await post(
        '/incidents',
        buildIncidentRequest({ types: ['robbery'], narrative: 'Took the charity box from the counter' }),
        Role.Shopworker,
        { 'idempotency-key': randomUUID() },
      )
    ).id;
    caseId = (await post('/cases', { incidentId, reason: 'Charity box robbery' }, Role.Police)).id;
    subjectId = (
      await post(
        '/subjects',
        { kind: 'id_sought', description: { distinguishingMarks: 'anchor tattoo on the left hand' } },
        Role.Coordinator,
      )
    ).id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a case opens from its address; choosing it in the queue sets the address, back returns to the queue', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 1280, height: 900 });
    await signIn(page, users()[Role.Police].email, users()[Role.Police].password);

    // a fresh page on the signed-in device, opened straight at the case
    const direct = await context.newPage();
    await direct.goto(`/#/police/cases/${caseId}`);
    await direct.getByTestId('case-view').getByText('Took the charity box from the counter').waitFor();
    await shot(direct, 'deep-link-case');

    await direct.goto(`/#/police/cases/${randomUUID()}`);
    await direct.getByTestId('not-found').getByText('No case was found at this address').waitFor();
    expect(await direct.getByTestId('case-view').count()).toBe(0);

    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await page.getByTestId('triage-item').first().getByRole('button').click();
    await page.getByTestId('case-view').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/police/cases/${caseId}`);
    await page.goBack();
    await page.getByText('Choose a case to see it.').waitFor();
    expect(await page.getByTestId('case-view').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a subject and a report open from their addresses; an unknown subject says not found', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 1366, height: 900 });
    await signIn(page, users()[Role.Coordinator].email, users()[Role.Coordinator].password);

    const direct = await context.newPage();
    await direct.goto(`/#/console/subjects/${subjectId}`);
    await direct.getByTestId('subject-view').getByText('anchor tattoo on the left hand').waitFor();
    await shot(direct, 'deep-link-subject');

    await direct.goto(`/#/console/incidents/${incidentId}`);
    await direct
      .getByRole('region', { name: 'Report' })
      .getByText('Took the charity box from the counter')
      .waitFor();
    expect(await direct.getByTestId('subject-view').count()).toBe(0);

    await direct.goto(`/#/console/subjects/${randomUUID()}`);
    await direct.getByTestId('not-found').getByText('No subject was found at this address').waitFor();

    await page.getByRole('navigation', { name: 'Console pages' }).getByRole('link', { name: 'Subjects' }).click();
    const intel = page.getByRole('region', { name: 'Subjects' });
    await intel.getByTestId('subject-row').first().getByRole('button').click();
    await intel.getByTestId('subject-view').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/console/subjects/${subjectId}`);
    await page.goBack();
    await intel.getByTestId('subject-view').waitFor({ state: 'detached' });
    await intel.getByTestId('subject-row').first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
