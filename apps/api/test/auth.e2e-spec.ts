import { createHmac } from 'node:crypto';
import { givenPartnership, type GivenPartnership, startTestApi, type TestApi } from '@app/testing';

describe('authentication', () => {
  let api: TestApi;
  let p: GivenPartnership;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS: '3' });
    p = await givenPartnership(api);
  });
  afterAll(() => api.close());

  const me = (token: string) => api.http.get('/api/v1/auth/me', token);

  it('logs in with email and password and refuses a wrong password without saying which part was wrong', async () => {
    const ok = await api.http.post('/api/v1/auth/login', {
      email: p.users.police.email,
      password: p.users.police.password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      tokenType: 'Bearer',
      actor: { role: 'police', partnershipId: p.partnershipId },
    });
    expect((await me(ok.body.accessToken)).body).toMatchObject({ id: p.users.police.id, role: 'police' });

    const bad = await api.http.post('/api/v1/auth/login', {
      email: p.users.analyst.email,
      password: 'not-the-password',
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      requestId: bad.headers.get('x-request-id'),
    });
    const nobody = await api.http.post('/api/v1/auth/login', { email: 'nobody@nowhere.test', password: 'x' });
    expect(nobody.body.message).toBe(bad.body.message);
  });

  it('rotates refresh tokens, and reusing a rotated token revokes the whole family', async () => {
    const login = await api.http.post('/api/v1/auth/login', {
      email: p.users.coordinator.email,
      password: p.users.coordinator.password,
    });
    const first = login.body.refreshToken as string;
    const rotated = await api.http.post('/api/v1/auth/refresh', { refreshToken: first });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first);
    expect((await me(rotated.body.accessToken)).status).toBe(200);

    const reuse = await api.http.post('/api/v1/auth/refresh', { refreshToken: first });
    expect(reuse.status).toBe(401);
    // the family is gone: the newest refresh token and its access token no longer work
    expect(
      (await api.http.post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken })).status,
    ).toBe(401);
    expect((await me(rotated.body.accessToken)).status).toBe(401);
    expect((await me(login.body.accessToken)).status).toBe(401);
  });

  it('logout ends the session: its access and refresh tokens are refused at once', async () => {
    const login = await api.http.post('/api/v1/auth/login', {
      email: p.users.admin.email,
      password: p.users.admin.password,
    });
    expect(
      (await api.http.request('POST', '/api/v1/auth/logout', { token: login.body.accessToken })).status,
    ).toBe(204);
    expect((await me(login.body.accessToken)).status).toBe(401);
    expect(
      (await api.http.post('/api/v1/auth/refresh', { refreshToken: login.body.refreshToken })).status,
    ).toBe(401);
  });

  it('refuses unsigned (alg: none), forged and malformed tokens', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = {
      sub: p.users.admin.id,
      knd: 'user',
      pid: p.partnershipId,
      rol: 'admin',
      sid: p.users.admin.id,
      str: null,
      iss: 'hub',
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const forgedSig = createHmac('sha256', 'wrong-secret-wrong-secret-wrong-secret')
      .update(`${header}.${b64(claims)}`)
      .digest('base64url');
    for (const token of [none, `${header}.${b64(claims)}.${forgedSig}`, 'garbage', '']) {
      expect((await me(token)).status).toBe(401);
    }
  });

  it('enrols a till tablet whose device credential signs in store-scoped, until it is revoked', async () => {
    const enrol = await api.http.post(
      '/api/v1/devices',
      { storeId: p.storeIds[0], name: 'Till 1' },
      p.tokens.store_manager,
    );
    expect(enrol.status).toBe(201);
    const login = await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential });
    expect(login.status).toBe(200);
    expect(login.body.actor).toMatchObject({ kind: 'device', role: 'shopworker', storeId: p.storeIds[0] });
    expect(login.body.refreshToken).toBeUndefined();
    expect((await me(login.body.accessToken)).status).toBe(200);

    // a store manager cannot enrol a tablet for another store
    const other = await api.http.post(
      '/api/v1/devices',
      { storeId: p.storeIds[1], name: 'Till X' },
      p.tokens.store_manager,
    );
    expect(other.status).toBe(403);

    const revoke = await api.http.request('DELETE', `/api/v1/devices/${enrol.body.id}`, {
      token: p.tokens.coordinator,
    });
    expect(revoke.status).toBe(200);
    expect((await me(login.body.accessToken)).status).toBe(401);
    expect((await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential })).status).toBe(
      401,
    );
  });

  it('rate-limits login per address and account, and a spoofed X-Forwarded-For does not reset the count', async () => {
    const email = p.users.shopworker.email;
    const attempt = (xff?: string) =>
      api.http.post(
        '/api/v1/auth/login',
        { email, password: 'wrong' },
        undefined,
        xff ? { 'x-forwarded-for': xff } : {},
      );
    for (let i = 0; i < 3; i++) {
      expect((await attempt()).status).toBe(401);
    }
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt('203.0.113.7')).status).toBe(429);
    // even the right password is refused while limited
    const right = await api.http.post('/api/v1/auth/login', { email, password: p.users.shopworker.password });
    expect(right.status).toBe(429);
  });

  it('names every invalid field in the one error shape', async () => {
    const res = await api.http.post('/api/v1/auth/login', {
      email: 'not-an-email',
      password: 5,
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['email', 'extra', 'password']);
  });

  it('refuses bodies nested 10,000 deep or carrying prototype-pollution keys with 400, not 500', async () => {
    const deep = `{"email":${'['.repeat(10_000)}${']'.repeat(10_000)},"password":"x"}`;
    const res = await api.http.request('POST', '/api/v1/auth/login', {
      raw: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: expect.stringMatching(/^email/) }],
    });
    const polluted = await api.http.request('POST', '/api/v1/auth/login', {
      raw: '{"email":"a@b.co","password":"x","nested":{"prototype":{"polluted":true}}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(polluted.status).toBe(400);
    expect(polluted.body.details).toEqual([
      { field: 'nested.prototype', problems: ['is not an allowed property name'] },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a caller-supplied request id and replaces an unsafe one', async () => {
    const kept = await api.http.request('GET', '/health', { headers: { 'x-request-id': 'till-7-abc' } });
    expect(kept.headers.get('x-request-id')).toBe('till-7-abc');
    const replaced = await api.http.request('GET', '/health', {
      headers: { 'x-request-id': 'not/a:plain id' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
