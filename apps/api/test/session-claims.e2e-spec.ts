import { randomUUID } from 'node:crypto';
import { AccessTokenService, type Actor, Role } from '@app/auth';
import { type RadioClient, RadioRequestError } from '@app/realtime';
import {
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  postStatement,
  type RadioPair,
  radioClient,
  startRadioPair,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(120_000);

interface Minted {
  shopworker: Actor;
  tablet: Actor;
  p: GivenPartnership;
  foreign: GivenPartnership;
}

/** Each forgery starts from a real token's claims and changes what the session must contradict. */
const FORGERIES: [string, (m: Minted) => Actor][] = [
  ['a user’s session claiming the admin role', (m) => ({ ...m.shopworker, role: Role.Admin })],
  ['a user’s session claiming the coordinator role', (m) => ({ ...m.shopworker, role: Role.Coordinator })],
  ['a user’s session claiming another user', (m) => ({ ...m.shopworker, id: m.p.users.admin.id })],
  ['a user’s session claiming another store', (m) => ({ ...m.shopworker, storeId: m.p.storeIds[1] })],
  ['a user’s session claiming no store', (m) => ({ ...m.shopworker, storeId: null })],
  [
    'a user’s session claiming another partnership (and its admin)',
    (m) => ({
      ...m.shopworker,
      partnershipId: m.foreign.partnershipId,
      id: m.foreign.users.admin.id,
      role: Role.Admin,
    }),
  ],
  ['a user’s session claiming to be a tablet', (m) => ({ ...m.shopworker, kind: 'device' })],
  ['a tablet’s session claiming the coordinator role', (m) => ({ ...m.tablet, role: Role.Coordinator })],
  ['a tablet’s session claiming another store', (m) => ({ ...m.tablet, storeId: m.p.storeIds[1] })],
  ['a tablet’s session claiming another device', (m) => ({ ...m.tablet, id: randomUUID() })],
  [
    'a tablet’s session claiming to be a user',
    (m) => ({ ...m.tablet, kind: 'user', id: m.p.users.admin.id }),
  ],
  ['an unknown session', (m) => ({ ...m.shopworker, sessionId: randomUUID() })],
  ['a non-uuid subject', (m) => ({ ...m.shopworker, id: 'not-a-uuid' })],
];

const STATEMENT = {
  witnessName: 'Sam Jones',
  witnessOccupation: 'Store assistant',
  statementText: 'At about 14:00 I was at till 2 when a man I did not know filled a bag with steak.',
  pageCount: 1,
  declarationAcknowledged: true,
  signatureName: 'Sam Jones',
};

/**
 * Tokens minted with the real signing key on a live session but claiming another user, role, store
 * or partnership than the session's are refused, on REST and on the radio handshake.
 */
describe('access tokens are tied to their session', () => {
  let api: TestApi;
  let radio: RadioPair;
  let p: GivenPartnership;
  let foreign: GivenPartnership;
  let minter: AccessTokenService;
  let shopworker: Actor;
  let tablet: Actor;
  let incidentId: string;
  const clients: RadioClient[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    radio = await startRadioPair(api.db.config);
    p = await givenPartnership(api);
    foreign = await givenPartnership(api);
    minter = new AccessTokenService(api.db.config);
    shopworker = minter.verify(p.tokens.shopworker)!;
    tablet = minter.verify((await givenTablet(api, p)).token)!;
    const filed = await postIncident(api, p.tokens.shopworker);
    expect(filed.status).toBe(201);
    incidentId = filed.body.id as string;
  });
  afterAll(async () => {
    for (const c of clients) {
      c.close();
    }
    await radio.close();
    await api.close();
  });

  const me = (token: string) => api.http.get('/api/v1/auth/me', token);
  const handshake = async (token: string): Promise<string> => {
    const c = radioClient(radio.urls[0], radio.path, token, { reconnection: false });
    clients.push(c);
    const outcome = await c.connect().then(
      () => 'connected',
      (e: unknown) => (e instanceof RadioRequestError ? e.error.code : String(e)),
    );
    c.close();
    return outcome;
  };

  it('accepts a re-minted token whose claims match its session (the control)', async () => {
    expect((await me(minter.sign(shopworker))).status).toBe(200);
    expect((await me(minter.sign(tablet))).status).toBe(200);
    expect(await handshake(minter.sign(shopworker))).toBe('connected');
    expect(await handshake(minter.sign(tablet))).toBe('connected');
  });

  const forge = (make: (m: Minted) => Actor) => minter.sign(make({ shopworker, tablet, p, foreign }));

  it.each(FORGERIES)('refuses %s on REST (401)', async (_name, make) => {
    const res = await me(forge(make));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  /**
   * The idempotent POSTs check the session in their claim, their first database statement, not in
   * the guard. A forgery whose own claims already fail the route's role or store rules is refused
   * by them first (403, 400), before any database access; every other one gets 401 from the claim.
   */
  const REFUSED_BY_CLAIMS_ALONE: Record<string, number> = {
    'a user’s session claiming the admin role': 403,
    'a user’s session claiming the coordinator role': 400,
    'a user’s session claiming no store': 400,
    'a user’s session claiming another partnership (and its admin)': 403,
  };
  it.each(FORGERIES)('refuses %s on a report and a statement, writing nothing', async (name, make) => {
    const count = async () =>
      (
        await api.db.owner.query(
          `SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM witness_statements)
                  + (SELECT count(*) FROM idempotency_keys) AS n`,
        )
      )[0].n as string;
    const before = await count();
    const report = await postIncident(api, forge(make));
    expect(report.status).toBe(REFUSED_BY_CLAIMS_ALONE[name] ?? 401);
    const statement = await postStatement(api, forge(make), incidentId, STATEMENT);
    expect([401, 403]).toContain(statement.status);
    expect(await count()).toBe(before);
  });

  it.each(FORGERIES)('refuses %s on the radio handshake', async (_name, make) => {
    expect(await handshake(forge(make))).toBe('UNAUTHENTICATED');
  });

  it('a role change ends tokens carrying the old role; a refresh carries the new one', async () => {
    const login = await api.http.post('/api/v1/auth/login', {
      email: p.users.store_manager.email,
      password: p.users.store_manager.password,
    });
    expect((await me(login.body.accessToken)).status).toBe(200);
    const change = await api.http.request('PATCH', `/api/v1/users/${p.users.store_manager.id}`, {
      token: p.tokens.coordinator,
      body: { role: 'shopworker' },
    });
    expect(change.status).toBe(200);
    expect((await me(login.body.accessToken)).status).toBe(401);
    const refreshed = await api.http.post('/api/v1/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.accessToken)).body).toMatchObject({ role: 'shopworker' });
  });
});
