import { randomBytes } from 'node:crypto';
import { RetentionRepository } from '@app/privacy';
import { StatsRepository } from '@app/stats';
import { StatsService } from '../src/stats/stats.service';
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

  const as = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, token = p.tokens.admin) =>
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

  it('an analyst key issued here reads only this partnership, is stored as a hash and can be revoked', async () => {
    const org = await as('POST', '/organisations', { name: 'Retail Union', kind: 'union' });
    expect(org.status).toBe(201);
    const orgId = org.body.id as string;
    // no key for an organisation the partnership does not share with
    const early = await as('POST', '/analyst-keys', { organisationId: orgId, label: 'Research' });
    expect([early.status, early.body.details?.[0]?.field]).toEqual([400, 'organisationId']);
    expect((await as('PUT', `/stats/shares/${orgId}`)).status).toBe(204);
    const foreign = await givenPartnership(api);
    await api.http.request('PUT', `/api/v1/stats/shares/${orgId}`, { token: foreign.tokens.admin });
    const listed = await api.http.get('/api/v1/organisations', p.tokens.admin);
    expect(listed.body.find((o: { id: string }) => o.id === orgId)).toMatchObject({ shared: true });

    const issued = await as('POST', '/analyst-keys', { organisationId: orgId, label: 'Research' });
    expect(issued.status).toBe(201);
    const secret = issued.body.secret as string;
    const [row] = await api.db.owner.query(`SELECT key_hash, partnership_id FROM analyst_api_keys WHERE id = $1`, [issued.body.id]);
    expect(row).toEqual({ key_hash: expect.not.stringContaining(secret), partnership_id: p.partnershipId });
    // both partnerships share with the organisation, but this key reads only the issuer's figures
    const principal = await api.app.get(StatsRepository).verifyApiKey(secret);
    expect(await api.app.get(StatsService).viewerOf(null, principal)).toEqual({
      kind: 'analyst',
      partnershipIds: [p.partnershipId],
    });
    const headline = () => api.http.request('GET', '/api/v1/stats/headline', { headers: { authorization: `ApiKey ${secret}` } });
    expect((await headline()).status).toBe(200);
    // the other partnership neither lists nor revokes it
    expect((await api.http.get('/api/v1/analyst-keys', foreign.tokens.admin)).body).toEqual([]);
    expect((await api.http.request('DELETE', `/api/v1/analyst-keys/${issued.body.id}`, { token: foreign.tokens.admin })).status).toBe(404);
    const listedKeys = await api.http.get('/api/v1/analyst-keys', p.tokens.admin);
    expect(listedKeys.body).toEqual([expect.objectContaining({ id: issued.body.id, revoked: false })]);
    expect(listedKeys.body[0]).not.toHaveProperty('secret');
    expect((await as('DELETE', `/analyst-keys/${issued.body.id}`)).body.revoked).toBe(true);
    expect((await headline()).status).toBe(401);
  });
});
