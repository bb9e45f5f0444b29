import { randomUUID } from 'node:crypto';
import { Role } from '@app/auth';
import { buildIncidentRequest, seedIncident } from '@app/testing';
import { a11yProblems } from './a11y';
import { eventually, newDevice, shot, signIn, type Stack, startStack } from './harness';

jest.setTimeout(120_000);

const PHONE = { width: 390, height: 844 };
const SMALL_SCREEN = { width: 1024, height: 768 };

describe('search and long lists', () => {
  let stack: Stack;
  let lobsterId: string;
  let caseId: string;
  const users = () => stack.partnership.users;

  beforeAll(async () => {
    stack = await startStack();
    const p = stack.partnership;
    // 55 alike reports: more than one page, and rows that differ only by reference and time
    for (let n = 0; n < 55; n += 1) {
      await seedIncident(stack.api.db.owner, {
        partnershipId: p.partnershipId,
        storeId: p.storeIds[n % 2],
        reportedBy: p.users.coordinator.id,
        occurredAt: new Date(Date.now() - (n + 2) * 3600_000),
      });
    }
    const filed = await stack.api.http.request('POST', '/api/v1/incidents', {
      token: p.tokens.shopworker,
      body: buildIncidentRequest({
        types: ['theft_shop'],
        narrative: 'He hid a live lobster under his coat and ran.',
      }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(filed.status).toBe(201);
    lobsterId = filed.body.id;
    const opened = await stack.api.http.post(
      '/api/v1/cases',
      { incidentId: lobsterId, title: 'Lobster theft at the fishmonger', reason: 'search test' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a coordinator pages past the first 50 reports, searches by a narrative word and opens the report at its address', async () => {
    const { context, page, errors } = await newDevice(stack, SMALL_SCREEN);
    await signIn(page, users()[Role.Coordinator].email, users()[Role.Coordinator].password);
    await page
      .getByRole('navigation', { name: 'Console pages' })
      .getByRole('link', { name: 'Incidents' })
      .click();
    expect(new URL(page.url()).hash).toBe('#/console/incidents');
    const rows = page.getByTestId('incident-row');
    await eventually(async () => (await rows.count()) === 50);
    // alike reports read differently: each row's name is unique
    const names = await rows.allTextContents();
    expect(new Set(names).size).toBe(names.length);
    await page.getByTestId('load-more').click();
    await eventually(async () => (await rows.count()) === 56);
    expect(await page.getByTestId('load-more').count()).toBe(0);
    expect(await a11yProblems(page)).toEqual([]);

    await page.getByRole('searchbox', { name: 'Search reports' }).fill('lobster');
    await page
      .getByRole('search', { name: 'Search reports' })
      .getByRole('button', { name: 'Search' })
      .click();
    await eventually(async () => (await rows.count()) === 1);
    await rows.first().getByRole('button').click();
    expect(new URL(page.url()).hash).toBe(`#/console/incidents/${lobsterId}`);
    await page
      .getByRole('region', { name: 'Report' })
      .getByText('He hid a live lobster under his coat')
      .waitFor();
    await shot(page, 'search-coordinator-report');

    // the address alone opens it
    const direct = await context.newPage();
    await direct.goto(`/#/console/incidents/${lobsterId}`);
    await direct
      .getByRole('region', { name: 'Report' })
      .getByText('He hid a live lobster under his coat')
      .waitFor();

    for (const pageName of [
      'Subjects',
      'Galleries',
      'Exclusion notices',
      'Serial-offender flags',
      'Settings',
    ]) {
      await page
        .getByRole('navigation', { name: 'Console pages' })
        .getByRole('link', { name: pageName })
        .click();
      await page.getByRole('heading', { level: 1, name: pageName }).waitFor();
      expect([pageName, await a11yProblems(page)]).toEqual([pageName, []]);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a phone, the console pages pass the checks and reports page on', async () => {
    const { context, page, errors } = await newDevice(stack, PHONE);
    await signIn(page, users()[Role.Coordinator].email, users()[Role.Coordinator].password);
    await page.goto('/#/console/incidents');
    const rows = page.getByTestId('incident-row');
    await eventually(async () => (await rows.count()) === 50);
    expect(await a11yProblems(page)).toEqual([]);
    await page.goto('/#/console/subjects');
    await page.getByRole('searchbox', { name: 'Search subjects' }).waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('police search cases on a phone, and the tapped case opens on screen', async () => {
    const { context, page, errors } = await newDevice(stack, PHONE);
    await signIn(page, users()[Role.Police].email, users()[Role.Police].password);
    await page.getByRole('heading', { name: 'Triage queue' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search cases' }).fill('fishmonger');
    await page.getByRole('search', { name: 'Search cases' }).getByRole('button', { name: 'Search' }).click();
    const items = page.getByTestId('triage-item');
    await eventually(
      async () => (await items.count()) === 1 && (await items.first().getAttribute('data-kind')) === 'case',
    );
    expect(await a11yProblems(page)).toEqual([]);
    await items.first().getByRole('button').first().click();
    expect(new URL(page.url()).hash).toBe(`#/police/cases/${caseId}`);
    const view = page.getByTestId('case-view');
    await view.waitFor();
    // on screen, not below the list
    await eventually(async () =>
      page.evaluate<boolean>(`(() => {
        const r = document.querySelector('[data-testid=case-view]').getBoundingClientRect();
        return r.top < window.innerHeight && r.bottom > 0;
      })()`),
    );
    await shot(page, 'search-police-case-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
