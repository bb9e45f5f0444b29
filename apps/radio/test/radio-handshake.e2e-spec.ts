import { JwtService } from '@nestjs/jwt';
import { Role } from '@app/auth';
import {
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  type RadioPair,
  radioClient,
  startRadioPair,
  startTestApi,
  startTestWorker,
  type TestApi,
} from '@app/testing';
import { type RadioClient, RadioRequestError } from '@app/realtime';

// Starting an api, two radios and a worker takes a while on a shared machine (the project's
// testTimeout is a global option jest ignores per project).
jest.setTimeout(60_000);

describe('radio handshake', () => {
  let api: TestApi;
  let radio: RadioPair;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let p: GivenPartnership;
  const clients: RadioClient[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    radio = await startRadioPair(api.db.config);
    // the outbox relay carries a revocation's order to close open sockets
    worker = await startTestWorker(api.db.config);
    p = await givenPartnership(api);
  });
  afterAll(async () => {
    for (const c of clients) {
      c.close();
    }
    await worker.close();
    await radio.close();
    await api.close();
  });

  const client = (token: string, instance: 0 | 1 = 0, lastSeq?: unknown) => {
    const c = radioClient(radio.urls[instance], radio.path, token, {
      reconnection: false,
      lastSeq: lastSeq as number,
    });
    clients.push(c);
    return c;
  };
  const refusal = async (c: RadioClient) => {
    const err = await c.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RadioRequestError);
    expect(c.connected).toBe(false);
    return (err as RadioRequestError).error;
  };
  const login = async (role: Role) => {
    const res = await api.http.post('/api/v1/auth/login', {
      email: p.users[role].email,
      password: p.users[role].password,
    });
    return res.body as { accessToken: string };
  };

  it('refuses a missing, malformed or forged token before the connection opens', async () => {
    for (const token of ['', 'not-a-jwt', `${p.tokens[Role.Coordinator]}x`]) {
      const error = await refusal(client(token));
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Please sign in again' });
      expect(error.requestId).toEqual(expect.any(String));
    }
  });

  it('refuses an expired token', async () => {
    const jwt = new JwtService({ secret: api.db.config.auth.jwtSecret });
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign(
      {
        sub: p.users.coordinator.id,
        knd: 'user',
        pid: p.partnershipId,
        rol: 'coordinator',
        sid: '00000000-0000-4000-8000-000000000000',
        str: null,
        iss: 'hub',
        iat: now - 1200,
        exp: now - 600,
      },
      { algorithm: 'HS256' },
    );
    expect((await refusal(client(expired))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a lastSeq that is not a whole number', async () => {
    expect((await refusal(client(p.tokens[Role.Police], 0, -1))).code).toBe('VALIDATION_FAILED');
    expect((await refusal(client(p.tokens[Role.Police], 1, 'abc'))).code).toBe('VALIDATION_FAILED');
  });

  it('admits a valid token, closes it at logout and refuses the same token on reconnect', async () => {
    const { accessToken } = await login(Role.StoreManager);
    const c = client(accessToken, 1);
    const other = client(p.tokens[Role.StoreManager], 1);
    await c.connect();
    await other.connect();
    expect(c.connected).toBe(true);
    const out = await api.http.request('POST', '/api/v1/auth/logout', { token: accessToken });
    expect(out.status).toBe(204);
    // the radio closes the open socket of the ended session, and only that one
    await eventually(() => expect(c.connected).toBe(false), 10_000);
    expect(other.connected).toBe(true);
    expect((await refusal(c)).code).toBe('UNAUTHENTICATED');
    // and on the other instance
    expect((await refusal(client(accessToken, 0))).code).toBe('UNAUTHENTICATED');
  });

  it('closes the open socket of a tablet whose device is revoked, and refuses it on reconnect', async () => {
    const tablet = await givenTablet(api, p, 1);
    const c = client(tablet.token, 0);
    await c.connect();
    const revoke = await api.http.request('DELETE', `/api/v1/devices/${tablet.deviceId}`, {
      token: p.tokens[Role.Admin],
    });
    expect(revoke.status).toBe(200);
    await eventually(() => expect(c.connected).toBe(false), 10_000);
    expect((await refusal(c)).code).toBe('UNAUTHENTICATED');
  });

  it('closes the open sockets of a user the admin disables, and refuses them on reconnect', async () => {
    const { accessToken } = await login(Role.Police);
    const c = client(accessToken, 1);
    const other = client(p.tokens[Role.Coordinator], 1);
    await c.connect();
    await other.connect();
    const disabled = await api.http.request('DELETE', `/api/v1/users/${p.users[Role.Police].id}`, {
      token: p.tokens[Role.Admin],
    });
    expect(disabled.status).toBe(200);
    await eventually(() => expect(c.connected).toBe(false), 10_000);
    expect(other.connected).toBe(true);
    expect((await refusal(c)).code).toBe('UNAUTHENTICATED');
  });

  it('lets analysts sign in but not listen: the radio carries people', async () => {
    const c = client(p.tokens[Role.Analyst]);
    let disconnected = false;
    c.on('disconnected', () => {
      disconnected = true;
    });
    c.socket.connect();
    await eventually(() => expect(disconnected).toBe(true));
  });
});
