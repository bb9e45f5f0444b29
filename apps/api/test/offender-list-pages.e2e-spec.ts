import {
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  seedIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(120_000);

const MANY = 55;

/**
 * Exclusion notices, galleries and listings are keyset pages like every other list: 50 by default,
 * `nextCursor` to the next, none repeated or skipped, filters (store, state, the gallery's audience)
 * holding on every page.
 */
describe('offender lists, a page at a time', () => {
  let api: TestApi;
  let p: GivenPartnership;
  const galleries: { id: string; forShopworkers: boolean }[] = [];
  const listings: string[] = [];
  const notices: { id: string; store: 0 | 1 }[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    const post = (path: string, body: unknown, token = p.tokens.coordinator) =>
      api.http.post(`/api/v1${path}`, body, token);
    const subject = await post('/subjects', buildSubjectRequest({ name: 'Often Seen' }));
    expect(subject.status).toBe(201);
    const incident = await seedIncident(api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(Date.now() - 86400_000),
    });
    expect((await post(`/subjects/${subject.body.id}/incidents`, { incidentId: incident })).status).toBe(201);
    for (let n = 0; n < MANY; n += 1) {
      const forShopworkers = n % 2 === 0;
      const g = await post('/galleries', {
        name: `Gallery ${n}`,
        defaultListingDays: 30,
        audienceRoles: forShopworkers ? ['shopworker'] : ['store_manager'],
      });
      expect(g.status).toBe(201);
      galleries.push({ id: g.body.id, forShopworkers });
      const l = await post(`/galleries/${g.body.id}/listings`, {
        subjectId: subject.body.id,
        reason: 'Repeated thefts',
        incidentIds: [incident],
      });
      expect(l.status).toBe(201);
      listings.push(l.body.id);
    }
    for (let n = 0; n < MANY + 3; n += 1) {
      const store = n < MANY ? 0 : 1;
      const notice = await post(`/subjects/${subject.body.id}/exclusion-notices`, {
        storeIds: [p.storeIds[store]],
        reason: `Theft, notice ${n}`,
        servedAt: new Date(Date.now() - 3600_000).toISOString(),
        servedByName: 'Jo Manager',
        serviceMethod: 'in_person',
      });
      expect(notice.status).toBe(201);
      notices.push({ id: notice.body.id, store });
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Every page of `path` in turn: the ids in order and each page's size. */
  async function walk(path: string, token: string): Promise<{ ids: string[]; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await api.http.get(
        `/api/v1${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
        token,
      );
      expect(res.status).toBe(200);
      ids.push(...(res.body.items as { id: string }[]).map((i) => i.id));
      sizes.push(res.body.items.length);
      cursor = res.body.nextCursor as string | null;
    } while (cursor && sizes.length < 20);
    return { ids, sizes };
  }

  it('galleries: 50 a page, newest first, and only those shown to the role', async () => {
    const all = await walk('/galleries', p.tokens.coordinator);
    expect(all.sizes).toEqual([50, MANY - 50]);
    expect(all.ids).toEqual(galleries.map((g) => g.id).reverse());
    const theirs = galleries.filter((g) => g.forShopworkers).map((g) => g.id);
    const shopworker = await walk('/galleries?limit=10', p.tokens.shopworker);
    expect(shopworker.sizes).toEqual([10, 10, theirs.length - 20]);
    expect(shopworker.ids).toEqual([...theirs].reverse());
  });

  it('listings: paged, in one state or all', async () => {
    const pending = await walk('/gallery-listings?state=pending', p.tokens.coordinator);
    expect(pending.sizes).toEqual([50, MANY - 50]);
    expect(pending.ids).toEqual([...listings].reverse());
    expect((await walk('/gallery-listings', p.tokens.coordinator)).ids).toEqual(pending.ids);
    expect((await walk('/gallery-listings?state=listed', p.tokens.coordinator)).sizes).toEqual([0]);
  });

  it('exclusion notices: paged, at one store or all, each consulted once', async () => {
    const atFirst = notices.filter((n) => n.store === 0).map((n) => n.id);
    const first = await walk(`/exclusion-notices?storeId=${p.storeIds[0]}`, p.tokens.coordinator);
    expect(first.sizes).toEqual([50, MANY - 50]);
    expect(first.ids).toEqual([...atFirst].reverse());
    const all = await walk('/exclusion-notices?limit=25', p.tokens.coordinator);
    expect(all.sizes).toEqual([25, 25, notices.length - 50]);
    expect(all.ids).toEqual(notices.map((n) => n.id).reverse());
    // a store manager sees their own store's, whatever they ask for
    const own = await walk(`/exclusion-notices?storeId=${p.storeIds[1]}`, p.tokens.store_manager);
    expect(own.ids).toEqual(first.ids);
    // every notice returned is logged as consulted by whoever read it
    const [{ n }] = (await api.db.owner.query(
      `SELECT count(DISTINCT object_id)::int AS n FROM access_log
        WHERE action = 'consult' AND object_type = 'exclusion_notice' AND actor_id = $1`,
      [p.users.store_manager.id],
    )) as { n: number }[];
    expect(n).toBe(atFirst.length);
  });

  it('refuses a cursor it did not make and a page over 200', async () => {
    for (const path of ['/galleries', '/gallery-listings', '/exclusion-notices']) {
      const bad = await api.http.get(`/api/v1${path}?cursor=not-a-cursor`, p.tokens.coordinator);
      expect([path, bad.status, bad.body.details?.[0]?.field]).toEqual([path, 400, 'cursor']);
      const big = await api.http.get(`/api/v1${path}?limit=201`, p.tokens.coordinator);
      expect([path, big.status]).toEqual([path, 400]);
    }
  });
});
