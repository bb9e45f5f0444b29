import { randomBytes } from 'node:crypto';
import { RetentionRepository } from '@app/privacy';
import { givenPartnership, type GivenPartnership, seedIncident, startTestApi, type TestApi } from '@app/testing';

jest.setTimeout(120_000);

/** The routes behind the Admin screen: invitations, re-enabling, editing stores and businesses. */
describe('admin routes', () => {
  let api: TestApi;
  let p: GivenPartnership;
  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
  });
  afterAll(() => api.close());

  const as = (method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, token = p.tokens.admin) =>
    api.http.request(method, `/api/v1${path}`, { token, body });

  it('an invitation without a password returns one made by the hub, once; only its hash is stored', async () => {
    const email = `invited-${randomBytes(4).toString('hex')}@admin.test`;
    const res = await as('POST', '/users', { email, displayName: 'Invited', role: 'police' });
    expect(res.status).toBe(201);
    const password = res.body.initialPassword as string;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await api.http.post('/api/v1/auth/login', { email, password })).status).toBe(200);
    const [row] = await api.db.owner.query(`SELECT password_hash FROM users WHERE email = $1`, [email]);
    expect(row.password_hash).not.toContain(password);
    // the list and the account's own page never carry it
    const read = await api.http.get(`/api/v1/users/${res.body.id}`, p.tokens.admin);
    expect(read.body).not.toHaveProperty('initialPassword');
    // a password given by the caller is not echoed
    const given = await as('POST', '/users', {
      email: `given-${randomBytes(4).toString('hex')}@admin.test`,
      displayName: 'Given',
      role: 'analyst',
      password: 'a-long-enough-password',
    });
    expect(given.body.initialPassword).toBeNull();
  });

  it('a disabled account cannot sign in until it is re-enabled', async () => {
    const email = `toggle-${randomBytes(4).toString('hex')}@admin.test`;
    const made = await as('POST', '/users', { email, displayName: 'Toggle', role: 'coordinator' });
    const password = made.body.initialPassword as string;
    expect((await as('DELETE', `/users/${made.body.id}`)).body.disabled).toBe(true);
    expect((await api.http.post('/api/v1/auth/login', { email, password })).status).toBe(401);
    const enabled = await as('POST', `/users/${made.body.id}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabled).toBe(false);
    expect((await api.http.post('/api/v1/auth/login', { email, password })).status).toBe(200);
    // a coordinator may not re-enable an account above its grants
    await as('DELETE', `/users/${made.body.id}`);
    expect((await as('POST', `/users/${made.body.id}/enable`, undefined, p.tokens.coordinator)).status).toBe(403);
  });

  it('edits a store and renames a business; bad input is a 400 naming the field', async () => {
    const store = await as('PATCH', `/stores/${p.storeIds[0]}`, { site: 'Unit 7, The Arcade', postcode: 'ab1 2cd' });
    expect(store.status).toBe(200);
    expect(store.body).toMatchObject({ id: p.storeIds[0], site: 'Unit 7, The Arcade', postcode: 'AB1 2CD' });
    const bad = await as('PATCH', `/stores/${p.storeIds[0]}`, { postcode: 'nowhere', name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'postcode']);
    const renamed = await as('PATCH', `/businesses/${p.businessId}`, { name: 'Renamed Ltd' });
    expect(renamed.body).toMatchObject({ id: p.businessId, name: 'Renamed Ltd' });
    const blank = await as('PATCH', `/businesses/${p.businessId}`, { name: '' });
    expect(blank.status).toBe(400);
    expect(blank.body.details[0].field).toBe('name');
    // another partnership's store is not found
    const foreign = await givenPartnership(api);
    expect((await as('PATCH', `/stores/${foreign.storeIds[0]}`, { site: 'x' })).status).toBe(404);
    expect((await as('PATCH', `/businesses/${foreign.businessId}`, { name: 'x' })).status).toBe(404);
  });

  it('names the store for a shop role invited without one', async () => {
    const res = await as('POST', '/users', { email: 'nostore@admin.test', displayName: 'No Store', role: 'shopworker' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'storeId', problems: ['is required for shop roles'] }]);
  });

  it('a legal hold placed here keeps a report from retention until it is released', async () => {
    const incidentId = await seedIncident(api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(Date.now() - 86_400_000),
    });
    const hold = await as('POST', '/legal-holds', { objectType: 'incident', objectId: incidentId, reason: 'Civil claim' });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ objectType: 'incident', objectId: incidentId, placedBy: p.users.admin.id });
    expect((await as('POST', '/legal-holds', { objectType: 'incident', objectId: incidentId, reason: 'Again' })).status).toBe(409);

    // retention far in the future: the held report stays, and is erased once released
    const retention = api.app.get(RetentionRepository);
    const later = new Date(Date.now() + 20 * 365 * 86_400_000);
    const periods = { incidentDays: 30, alertDays: 30 };
    const exists = async () => (await api.db.owner.query(`SELECT 1 FROM incidents WHERE id = $1`, [incidentId])).length === 1;
    await retention.apply(later, periods, 'test-hold');
    expect(await exists()).toBe(true);
    expect((await as('DELETE', `/legal-holds/${hold.body.id}`)).status).toBe(200);
    expect((await as('DELETE', `/legal-holds/${hold.body.id}`)).status).toBe(404);
    await retention.apply(later, periods, 'test-release');
    expect(await exists()).toBe(false);
  });

  it('a legal hold names the field it cannot use', async () => {
    const foreign = await givenPartnership(api);
    const foreignIncident = await seedIncident(api.db.owner, {
      partnershipId: foreign.partnershipId,
      storeId: foreign.storeIds[0],
      reportedBy: foreign.users.shopworker.id,
      occurredAt: new Date(Date.now() - 86_400_000),
    });
    const cases: [unknown, string][] = [
      [{ objectType: 'subject', objectId: foreignIncident, reason: 'Keep' }, 'objectType'],
      [{ objectType: 'incident', objectId: 'nope', reason: 'Keep' }, 'objectId'],
      [{ objectType: 'incident', objectId: foreignIncident, reason: 'Keep' }, 'objectId'],
      [{ objectType: 'alert', objectId: foreignIncident, reason: '' }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const res = await as('POST', '/legal-holds', body);
      expect([res.status, res.body.details?.[0]?.field]).toEqual([400, field]);
    }
    const [{ n }] = await api.db.owner.query(`SELECT count(*)::int AS n FROM legal_holds WHERE object_id = $1`, [foreignIncident]);
    expect(n).toBe(0);
  });
});
