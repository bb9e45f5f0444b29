import { Role } from '@app/auth';
import { buildSubjectRequest, seedIncident } from '@app/testing';
import { a11yAtSizes } from './a11y';
import { eventually, newDevice, signIn, type Stack, startStack } from './harness';

jest.setTimeout(180_000);

const NO_PROBLEMS = { '1024x768': [], '390x844': [] };
const MANY = 52;

/** The console's galleries, listings and exclusion notices page on like the other lists. */
describe('offender lists in the console, past the first page', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    const p = stack.partnership;
    const post = (path: string, body: unknown) =>
      stack.api.http.post(`/api/v1${path}`, body, p.tokens.coordinator);
    const subject = await post('/subjects', buildSubjectRequest({ name: 'Often Seen' }));
    const incident = await seedIncident(stack.api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(Date.now() - 86400_000),
    });
    expect((await post(`/subjects/${subject.body.id}/incidents`, { incidentId: incident })).status).toBe(201);
    for (let n = 1; n <= MANY; n += 1) {
      const g = await post('/galleries', {
        name: `Gallery ${n}`,
        defaultListingDays: 30,
        audienceRoles: ['shopworker'],
      });
      expect(g.status).toBe(201);
      const l = await post(`/galleries/${g.body.id}/listings`, {
        subjectId: subject.body.id,
        reason: `Listing number ${n}`,
        incidentIds: [incident],
      });
      expect(l.status).toBe(201);
      const notice = await post(`/subjects/${subject.body.id}/exclusion-notices`, {
        storeIds: [p.storeIds[0]],
        reason: `Theft, notice ${n}`,
        servedAt: new Date(Date.now() - 3600_000).toISOString(),
        servedByName: `Server ${n}`,
        serviceMethod: 'in_person',
      });
      expect(notice.status).toBe(201);
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a coordinator loads more galleries, listings and notices', async () => {
    const { context, page, errors } = await newDevice(stack, { width: 1024, height: 768 });
    const { email, password } = stack.partnership.users[Role.Coordinator];
    await signIn(page, email, password);
    const nav = page.getByRole('navigation', { name: 'Console pages' });

    await nav.getByRole('link', { name: 'Galleries' }).click();
    await page.getByRole('heading', { level: 1, name: 'Galleries' }).waitFor();
    const galleries = page.getByTestId('gallery');
    const listings = page.getByTestId('listing');
    await eventually(async () => (await galleries.count()) === 50 && (await listings.count()) === 50);
    // newest first: the first made is on the second page
    const firstGallery = galleries.getByText('Gallery 1', { exact: true });
    const firstListing = listings.getByText('Listing number 1', { exact: true });
    expect(await firstGallery.count()).toBe(0);
    expect(await firstListing.count()).toBe(0);
    await page.getByRole('button', { name: 'Load more galleries' }).click();
    await eventually(async () => (await galleries.count()) === MANY);
    await firstGallery.waitFor();
    expect(await page.getByRole('button', { name: 'Load more galleries' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load more listings' }).click();
    await eventually(async () => (await listings.count()) === MANY);
    await firstListing.waitFor();
    // every listing names its gallery, loaded or not
    expect(await listings.filter({ hasText: ' in gallery · ' }).count()).toBe(0);
    await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
    expect(await a11yAtSizes(page)).toEqual(NO_PROBLEMS);
    await page.setViewportSize({ width: 1024, height: 768 });

    await nav.getByRole('link', { name: 'Exclusion notices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Exclusion notices' }).waitFor();
    const notices = page.getByTestId('exclusion');
    await eventually(async () => (await notices.count()) === 50);
    expect(await notices.filter({ hasText: 'by Server 1 (' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load more notices' }).click();
    await eventually(async () => (await notices.count()) === MANY);
    await notices.filter({ hasText: 'by Server 1 (' }).waitFor();
    await page.getByText(`Showing ${MANY} notices, all there are`).waitFor();
    expect(await a11yAtSizes(page)).toEqual(NO_PROBLEMS);
    expect(errors).toEqual([]);
    await context.close();
  });
});
