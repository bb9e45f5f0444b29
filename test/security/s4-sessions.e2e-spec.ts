import { createHash, randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { AccessTokenService, PasswordHasher, Role } from '@app/auth';
import { SessionRepository, User } from '@app/identity';
import { REDIS } from '@app/redis';
import {
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
import { readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type HistoryEntry,
  type NegativeControl,
  recordResult,
  rng,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { decodeJwt, forgeries, resigned } from './jwt-forge';
import { secRequest } from './security-http';

jest.setTimeout(SPEC_TIMEOUT_MS);

/**
 * S4: authentication and sessions. (a) argon2id parameters read from stored hash strings, and the
 * hash time and event-loop delay while hashing; (b) credential stuffing over many accounts from
 * several client addresses (127.0.0.x), with every password verification the server runs counted
 * inside it: at most the limit per (address, account) per window, then 429 with Retry-After;
 * (c) refresh-token rotation, reuse revoking the family, tokens stored hashed; (d) tokens after
 * logout; (e) alg:none, algorithm swaps and HS/RS confusion; (g) radio connects and resumes after
 * revocation. The checker reads the history; negative controls run the same steps against the api
 * with reuse detection off, with a logout that revokes nothing, and with a verifier that decodes
 * without checking signatures.
 */
const ID = 'S4';
const SEED = deriveSeed(ID);
const HASHES = scale(10, 200);
const ACCOUNTS = scale(10, 50);
const ADDRESSES = scale(3, 10);
const ATTEMPTS = scale(60, 1000);
const FAMILIES = scale(5, 50);
const LOGOUTS = scale(5, 50);
const OWASP = { m: 19_456, t: 2, p: 1 };

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

export interface SessionCounts {
  stuffingAttempts: number;
  pairs: number;
  pairsOverLimit: number;
  maxVerificationsPerPair: number;
  limitedWithoutRetryAfter: number;
  refusedBeforeLimit: number;
  families: number;
  familiesRevoked: number;
  reuseAccepted: number;
  afterLogoutAccepted: number;
  forgedAccepted: number;
  radioAfterRevocationAccepted: number;
}

/** The checker over the history (and the server-side verification log for stuffing). */
export function checkSessions(history: HistoryEntry[], limit: number): SessionCounts {
  const stuffing = history.filter((h) => h.kind === 'stuffing');
  const byPair = new Map<string, HistoryEntry[]>();
  for (const h of stuffing) {
    const k = String(h.value?.pair);
    (byPair.get(k) ?? byPair.set(k, []).get(k)!).push(h);
  }
  const verifications = new Map<string, number>();
  for (const h of history.filter((x) => x.kind === 'verification')) {
    const k = String(h.value?.pair);
    verifications.set(k, (verifications.get(k) ?? 0) + 1);
  }
  let refusedBeforeLimit = 0;
  for (const [, hs] of byPair) {
    const answered = hs.filter((h) => h.status === 401).length;
    const limited = hs.filter((h) => h.status === 429).length;
    // every attempt past the limit is refused; none before it
    if (limited > 0 && answered < Math.min(limit, hs.length)) {
      refusedBeforeLimit += 1;
    }
  }
  const families = history.filter((h) => h.kind === 'family');
  const after = (kind: string) => history.filter((h) => h.kind === kind && h.outcome === 'ok').length;
  return {
    stuffingAttempts: stuffing.length,
    pairs: byPair.size,
    pairsOverLimit: [...verifications.values()].filter((n) => n > limit).length,
    maxVerificationsPerPair: Math.max(0, ...verifications.values()),
    limitedWithoutRetryAfter: stuffing.filter((h) => h.status === 429 && !(Number(h.value?.retryAfter) > 0))
      .length,
    refusedBeforeLimit,
    families: families.length,
    familiesRevoked: families.filter(
      (h) =>
        h.value?.reuseStatus === 401 &&
        h.value?.newestRefreshStatus === 401 &&
        h.value?.newestAccessStatus === 401 &&
        h.value?.radioStatus === 'refused',
    ).length,
    reuseAccepted: families.filter((h) => h.value?.reuseStatus !== 401).length,
    afterLogoutAccepted: after('after-logout'),
    forgedAccepted: after('forged'),
    radioAfterRevocationAccepted: history.filter(
      (h) => h.kind === 'radio-after-revocation' && h.value?.connected,
    ).length,
  };
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('S4 authentication and sessions', () => {
  let api: TestApi;
  let radio: RadioPair;
  let p: GivenPartnership;
  const started = new Date().toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    radio = await startRadioPair(api.db.config);
    p = await givenPartnership(api);
  });
  afterAll(async () => {
    await radio?.close();
    await api?.close();
  });

  /** Connects to the radio with `token` (and a lastSeq to resume from): 'connected' or 'refused'. */
  const radioTry = async (token: string, lastSeq?: number) => {
    const c = radioClient(radio.urls[0], radio.path, token, { reconnection: false, lastSeq });
    let frames = 0;
    c.on('alert', () => (frames += 1));
    c.on('welcome', () => (frames += 1));
    try {
      const outcome = await Promise.race([
        c.connect().then(
          () => 'connected' as const,
          () => 'refused' as const,
        ),
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000)),
      ]);
      return { outcome, frames };
    } finally {
      c.close();
    }
  };

  it('hashes at OWASP cost, limits stuffing per address and account, rotates and revokes, refuses forgeries', async () => {
    const history = new History(ID);
    const base = api.http.baseUrl;
    const limit = api.db.config.auth.loginMaxAttempts;
    const notes: string[] = [];

    // (a) argon2id: parameters from the stored hashes, time per hash, event-loop delay meanwhile
    const stored: { password_hash: string }[] = await api.db.owner.query(
      `SELECT password_hash FROM users WHERE partnership_id = $1`,
      [p.partnershipId],
    );
    const hasher = api.app.get(PasswordHasher, { strict: false });
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const times: number[] = [];
    const fresh: string[] = [];
    loop.enable();
    for (let i = 0; i < HASHES; i++) {
      const t0 = performance.now();
      fresh.push(await hasher.hash(`correct horse ${i}`));
      times.push(performance.now() - t0);
    }
    loop.disable();
    const params = [...stored.map((r) => r.password_hash), ...fresh].map((h) => {
      // $argon2id$v=19$m=19456,p=1,t=2$salt$hash (the parameter order varies by library)
      const m = /^\$(argon2id)\$v=19\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/.exec(h);
      if (!m) {
        return null;
      }
      const kv = Object.fromEntries(m[2].split(',').map((x) => [x[0], Number(x.slice(2))]));
      return { type: m[1], m: kv.m, t: kv.t, p: kv.p };
    });
    const weakHashes = params.filter((x) => !x || x.m < OWASP.m || x.t < OWASP.t || x.p !== OWASP.p).length;
    const hashing = {
      hashesTimed: times.length,
      medianHashMs: Math.round(median(times)),
      loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
      hashesChecked: params.length,
      weakHashes,
    };
    const accessTtl = (() => {
      const { payload } = decodeJwt(p.tokens.coordinator);
      return Number(payload.exp) - Number(payload.iat);
    })();

    // (b) credential stuffing: ACCOUNTS accounts × ADDRESSES client addresses, a seeded schedule in
    // which a tenth of the pairs are hammered and the rest touched once or twice
    const domain = p.users.shopworker.email.split('@')[1];
    const hash = (
      await api.db.owner.query(`SELECT password_hash FROM users WHERE id = $1`, [p.users.shopworker.id])
    )[0].password_hash as string;
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = `stuffed-${i}@${domain}`;
      await api.db.owner.manager.insert(User, {
        partnershipId: p.partnershipId,
        storeId: p.storeIds[0],
        email,
        displayName: `Stuffed ${i}`,
        role: Role.Shopworker,
        passwordHash: hash,
      });
      accounts.push(email);
    }
    const addresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.0.${11 + i}`);
    const pairs = addresses.flatMap((a) => accounts.map((u) => ({ address: a, email: u })));
    const hot = pairs.filter((_, i) => i % 10 === 0);
    const random = rng(SEED);
    const schedule = Array.from({ length: ATTEMPTS }, (_, i) => {
      const pair =
        random() < 0.5 ? hot[Math.floor(random() * hot.length)] : pairs[Math.floor(random() * pairs.length)];
      return { i, ...pair, password: `stuffing-${SEED}-${i}` };
    });
    // every verification the server runs, by the password it was given (on the prototype, so
    // whichever PasswordHasher instance the login uses is counted)
    const byPassword = new Map(schedule.map((s) => [s.password, `${s.address}|${s.email}`]));
    const hasherProto = PasswordHasher.prototype;
    const verify = hasherProto.verify;
    hasherProto.verify = async function (this: PasswordHasher, h: string, password: string) {
      const pair = byPassword.get(password);
      if (pair) {
        history.append({
          op: randomUUID(),
          client: 'server',
          kind: 'verification',
          invokeAt: Date.now(),
          outcome: 'ok',
          value: { pair },
        });
      }
      return verify.call(this, h, password);
    };
    try {
      let next = 0;
      const worker = async () => {
        while (next < schedule.length) {
          const s = schedule[next++];
          await history.run(
            { op: `stuff-${s.i}`, client: s.address, kind: 'stuffing' },
            () =>
              secRequest(base, 'POST', '/api/v1/auth/login', {
                body: { email: s.email, password: s.password },
                localAddress: s.address,
              }),
            (r) => ({
              pair: `${s.address}|${s.email}`,
              retryAfter: r.headers['retry-after'],
              code: r.body?.code,
            }),
          );
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
    } finally {
      hasherProto.verify = verify;
    }
    // the counters live in Redis under the api's prefix, keyed by address and account
    const redis = api.app.get<Redis>(REDIS, { strict: false });
    const redisKeys = await redis.keys(`${api.db.config.redis.prefix}:login:127.0.0.*`);

    // (c) rotation and reuse; (g) the radio after the family is revoked
    const login = async (email: string, password: string) =>
      (await secRequest(base, 'POST', '/api/v1/auth/login', { body: { email, password } })).body as {
        accessToken: string;
        refreshToken: string;
      };
    const refresh = (token: string) =>
      secRequest(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: token } });
    const me = (token: string) => secRequest(base, 'GET', '/api/v1/auth/me', { token });
    const users = [Role.Coordinator, Role.Police, Role.StoreManager, Role.Shopworker, Role.Admin] as const;
    const runFamily = async (i: number, kind: string) => {
      const u = p.users[users[i % users.length]];
      const first = await login(u.email, u.password);
      const r1 = (await refresh(first.refreshToken)).body;
      const r2 = (await refresh(r1.refreshToken)).body;
      const stored = await api.db.owner.query(
        `SELECT t.token_hash, row_to_json(t)::text AS row FROM refresh_tokens t
          JOIN sessions s ON s.id = t.session_id WHERE s.user_id = $1`,
        [u.id],
      );
      const secrets = [first.refreshToken, r1.refreshToken, r2.refreshToken].map((t) => t.split('.')[2]);
      const storedHashed = secrets.every((sec) =>
        stored.some((row: { token_hash: string }) => row.token_hash === sha256Hex(sec)),
      );
      const rawInDb = secrets.some((sec) => stored.some((row: { row: string }) => row.row.includes(sec)));
      await history.run(
        { op: randomUUID(), client: u.email, kind },
        async () => {
          const reuse = await refresh(first.refreshToken);
          const newestRefresh = await refresh(r2.refreshToken);
          const newestAccess = await me(r2.accessToken);
          const radioOutcome = await radioTry(r2.accessToken);
          return {
            status: 200,
            value: {
              reuseStatus: reuse.status,
              newestRefreshStatus: newestRefresh.status,
              newestAccessStatus: newestAccess.status,
              radioStatus: radioOutcome.outcome,
              radioFrames: radioOutcome.frames,
              storedHashed,
              rawInDb,
            },
          };
        },
        (r) => r.value,
      );
    };
    for (let i = 0; i < FAMILIES; i++) {
      await runFamily(i, 'family');
    }

    // (d) tokens after logout, on REST and on the radio (connect, and resume from a lastSeq)
    const runLogout = async (i: number, kind: string) => {
      const u = p.users[users[(i + 2) % users.length]];
      const s = await login(u.email, u.password);
      const out = await secRequest(base, 'POST', '/api/v1/auth/logout', { token: s.accessToken });
      for (const [what, send] of [
        ['GET /auth/me', () => me(s.accessToken)],
        ['GET /incidents', () => secRequest(base, 'GET', '/api/v1/incidents', { token: s.accessToken })],
        ['POST /auth/refresh', () => refresh(s.refreshToken)],
      ] as const) {
        await history.run({ op: randomUUID(), client: u.email, kind }, send, () => ({
          what,
          logoutStatus: out.status,
        }));
      }
      for (const lastSeq of [undefined, 0]) {
        const r = await radioTry(s.accessToken, lastSeq);
        history.append({
          op: randomUUID(),
          client: u.email,
          kind: kind === 'after-logout' ? 'radio-after-revocation' : `${kind}-radio`,
          invokeAt: Date.now(),
          outcome: r.outcome === 'connected' ? 'ok' : 'fail',
          value: {
            connected: r.outcome === 'connected',
            frames: r.frames,
            lastSeq: lastSeq ?? null,
            why: 'logout',
          },
        });
      }
    };
    for (let i = 0; i < LOGOUTS; i++) {
      await runLogout(i, 'after-logout');
    }
    // a revoked tablet on the radio
    const tablet = await givenTablet(api, p);
    await secRequest(base, 'DELETE', `/api/v1/devices/${tablet.deviceId}`, { token: p.tokens.admin });
    for (const lastSeq of [undefined, 0]) {
      const r = await radioTry(tablet.token, lastSeq);
      history.append({
        op: randomUUID(),
        client: 'tablet',
        kind: 'radio-after-revocation',
        invokeAt: Date.now(),
        outcome: r.outcome === 'connected' ? 'ok' : 'fail',
        value: {
          connected: r.outcome === 'connected',
          frames: r.frames,
          lastSeq: lastSeq ?? null,
          why: 'device revoked',
        },
      });
    }
    // (g) a socket open when its session is revoked is closed by the radio; a socket of a session
    // still active hears the alert raised after the logout (so "0 received" is not vacuous)
    const live = await login(p.users.coordinator.email, p.users.coordinator.password);
    const liveClient = radioClient(radio.urls[0], radio.path, live.accessToken, { reconnection: false });
    const bystander = radioClient(radio.urls[1] ?? radio.urls[0], radio.path, p.tokens.coordinator, {
      reconnection: false,
    });
    const liveMessages: string[] = [];
    const bystanderMessages: string[] = [];
    liveClient.on('alert', (a) => liveMessages.push(a.message));
    bystander.on('alert', (a) => bystanderMessages.push(a.message));
    await liveClient.connect();
    await bystander.connect();
    const raise = (message: string) =>
      secRequest(base, 'POST', '/api/v1/alerts', {
        token: p.tokens.coordinator,
        body: { type: 'information', message, target: { kind: 'partnership' } },
      });
    const worker = await startTestWorker(api.db.config);
    let liveBefore = false;
    let liveStillConnected = true;
    let bystanderHeard = false;
    try {
      await raise('before the revocation');
      liveBefore = await waitFor(() => liveMessages.includes('before the revocation'), 10_000);
      await secRequest(base, 'POST', '/api/v1/auth/logout', { token: live.accessToken });
      liveStillConnected = !(await waitFor(() => !liveClient.connected, 10_000));
      await raise('after the revocation');
      bystanderHeard = await waitFor(() => bystanderMessages.includes('after the revocation'), 10_000);
    } finally {
      liveClient.close();
      bystander.close();
      await worker.close();
    }
    const liveAlerts = liveMessages.filter((m) => m === 'after the revocation').length;

    // (e) forged tokens on REST and on the radio; the re-signed real claims as the positive control
    const secret = api.db.config.auth.jwtSecret;
    const forged = forgeries(p.tokens.coordinator, secret);
    const runForged = async (kind: string, list = forged) => {
      for (const f of list) {
        await history.run(
          { op: randomUUID(), client: f.label, kind },
          () => me(f.token),
          () => ({ label: f.label }),
        );
        await history.run(
          { op: randomUUID(), client: f.label, kind },
          () => secRequest(base, 'GET', '/api/v1/incidents', { token: f.token }),
          () => ({ label: f.label }),
        );
        const r = await radioTry(f.token);
        history.append({
          op: randomUUID(),
          client: f.label,
          kind: kind === 'forged' ? 'radio-forged' : `${kind}-radio`,
          invokeAt: Date.now(),
          outcome: r.outcome === 'connected' ? 'ok' : 'fail',
          value: { label: f.label, connected: r.outcome === 'connected' },
        });
      }
    };
    await runForged('forged');
    const positive = await me(resigned(p.tokens.coordinator, secret));

    const entries = readHistory(history.file);
    const counts = checkSessions(entries, limit);
    const families = entries.filter((h) => h.kind === 'family');
    const radioForgedAccepted = entries.filter((h) => h.kind === 'radio-forged' && h.value?.connected).length;
    const figures = {
      ...hashing,
      ...counts,
      loginLimit: limit,
      loginWindowSeconds: api.db.config.auth.loginWindowSeconds,
      accessTtlSeconds: accessTtl,
      redisCounterKeys: redisKeys.length,
      tokensNotStoredHashed: families.filter((h) => !h.value?.storedHashed).length,
      rawRefreshSecretsInDb: families.filter((h) => h.value?.rawInDb).length,
      radioForgedAccepted,
      framesToRefusedSockets: entries
        .filter((h) => ['radio-after-revocation', 'radio-forged', 'family'].includes(h.kind))
        .reduce((s, h) => s + Number(h.value?.frames ?? h.value?.radioFrames ?? 0), 0),
      resignedRealClaimsStatus: positive.status,
      liveSocketReceivedBeforeLogout: liveBefore ? 1 : 0,
      liveSocketKeptAfterLogout: liveStillConnected ? 1 : 0,
      liveAlertsAfterLogout: liveAlerts,
      bystanderHeardAfterLogout: bystanderHeard ? 1 : 0,
    };

    // negative controls: the same steps against deliberately broken variants of this api
    const controls: NegativeControl[] = [];
    const variant = async (
      label: string,
      patch: () => () => void,
      run: (h: History) => Promise<void>,
      caught: (c: SessionCounts) => boolean,
      pick: (c: SessionCounts) => Record<string, number>,
    ) => {
      const h = new History(`${ID}-control-${controls.length + 1}`);
      const restore = patch();
      try {
        await run(h);
      } finally {
        restore();
      }
      const c = checkSessions(readHistory(h.file), limit);
      controls.push({ variant: label, counts: pick(c), caught: caught(c) });
    };
    const proto = SessionRepository.prototype as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    await variant(
      'reuse detection off: a used refresh token is treated as unused',
      () => {
        const rotate = proto.rotate;
        proto.rotate = async function (this: unknown, ...a: unknown[]) {
          await api.db.owner.query(`UPDATE refresh_tokens SET used_at = NULL WHERE id = $1`, [a[1]]);
          return rotate.apply(this, a);
        };
        return () => (proto.rotate = rotate);
      },
      async (h) => {
        const saved = history.append.bind(history);
        history.append = (e) => h.append(e);
        try {
          for (let i = 0; i < 2; i++) {
            await runFamily(i, 'family');
          }
        } finally {
          history.append = saved;
        }
      },
      (c) => c.familiesRevoked < c.families,
      (c) => ({ families: c.families, familiesRevoked: c.familiesRevoked, reuseAccepted: c.reuseAccepted }),
    );
    await variant(
      'logout that revokes nothing',
      () => {
        const revoke = proto.revoke;
        proto.revoke = async () => undefined;
        return () => (proto.revoke = revoke);
      },
      async (h) => {
        const saved = history.append.bind(history);
        history.append = (e) => h.append(e);
        try {
          await runLogout(0, 'after-logout');
        } finally {
          history.append = saved;
        }
      },
      (c) => c.afterLogoutAccepted > 0 && c.radioAfterRevocationAccepted > 0,
      (c) => ({
        afterLogoutAccepted: c.afterLogoutAccepted,
        radioAfterRevocationAccepted: c.radioAfterRevocationAccepted,
      }),
    );
    const tokenProto = AccessTokenService.prototype as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    await variant(
      'a verifier that decodes without checking the signature or algorithm',
      () => {
        const verify = tokenProto.verify;
        tokenProto.verify = function (this: unknown, token: unknown) {
          try {
            const c = decodeJwt(String(token)).payload;
            return {
              kind: c.knd,
              id: c.sub,
              partnershipId: c.pid,
              role: c.rol,
              sessionId: c.sid,
              storeId: c.str ?? null,
            };
          } catch {
            return null;
          }
        };
        return () => (tokenProto.verify = verify);
      },
      async (h) => {
        const saved = history.append.bind(history);
        history.append = (e) => h.append(e);
        try {
          await runForged('forged', forged.slice(0, 3));
        } finally {
          history.append = saved;
        }
      },
      (c) => c.forgedAccepted > 0,
      (c) => ({ forgedAccepted: c.forgedAccepted }),
    );
    // and the stuffing oracle on a limiter that never limits (every attempt verified)
    const unlimited = checkSessions(
      [
        ...entries.filter((h) => h.kind !== 'verification'),
        ...entries.filter((h) => h.kind === 'stuffing').map((h) => ({ ...h, kind: 'verification' })),
      ],
      limit,
    );
    controls.push({
      variant: 'a login limiter that never limits (every attempt verified)',
      counts: { pairsOverLimit: unlimited.pairsOverLimit },
      caught: unlimited.pairsOverLimit > counts.pairsOverLimit,
    });

    const failures = {
      weakHashes: figures.weakHashes,
      medianOver700ms: figures.medianHashMs > 700 ? 1 : 0,
      loopDelayP99Over100ms: figures.loopDelayP99Ms >= 100 ? 1 : 0,
      pairsOverLimit: counts.pairsOverLimit,
      limitedWithoutRetryAfter: counts.limitedWithoutRetryAfter,
      refusedBeforeLimit: counts.refusedBeforeLimit,
      noRedisCounters: redisKeys.length === 0 ? 1 : 0,
      familiesNotRevoked: counts.families - counts.familiesRevoked,
      tokensNotStoredHashed: figures.tokensNotStoredHashed,
      rawRefreshSecretsInDb: figures.rawRefreshSecretsInDb,
      afterLogoutAccepted: counts.afterLogoutAccepted,
      forgedAccepted: counts.forgedAccepted,
      radioForgedAccepted,
      radioAfterRevocationAccepted: counts.radioAfterRevocationAccepted,
      framesToRefusedSockets: figures.framesToRefusedSockets,
      accessTtlNot600: accessTtl === 600 ? 0 : 1,
      resignedRealClaimsRefused: positive.status === 200 ? 0 : 1,
      liveSocketMissedAlertBeforeLogout: liveBefore ? 0 : 1,
      liveSocketKeptAfterLogout: figures.liveSocketKeptAfterLogout,
      liveAlertsAfterLogout: liveAlerts,
      bystanderMissedAlertAfterLogout: bystanderHeard ? 0 : 1,
    };
    const limitedSeen = entries.filter((h) => h.kind === 'stuffing' && h.status === 429).length;
    const passed =
      Object.values(failures).every((n) => n === 0) && limitedSeen > 0 && controls.every((c) => c.caught);
    notes.push(
      'f (passkeys): not applicable: no passkeys (WebAuthn) in the system; sign-in is email + password (users) and an enrolment credential (tablets)',
      `(g) a radio socket open when its session was revoked (received an alert before: ${liveBefore ? 'yes' : 'no'}): still connected after the logout ${liveStillConnected ? 'yes' : 'no'}, alerts it received after the logout ${liveAlerts}; a socket of a session still active heard the alert after the logout: ${bystanderHeard ? 'yes' : 'no'}. Revocation is checked at every connect and reconnect, and the revoking transaction's outbox row makes the radios close the revoked session's open sockets`,
      `stuffing: ${ATTEMPTS} attempts, ${ACCOUNTS} accounts, ${ADDRESSES} addresses (${addresses.join(', ')}), ${limitedSeen} answered 429; ${entries.filter((h) => h.kind === 'verification').length} password verifications counted inside the server`,
      `forgeries tried (REST /auth/me, /incidents and the radio): ${forged.map((f) => f.label).join('; ')}`,
    );
    recordResult({
      id: ID,
      title:
        'Authentication and sessions: argon2id cost, credential stuffing, refresh rotation, logout, forged JWTs, radio after revocation',
      seed: SEED,
      counts: figures,
      passFigure:
        '(a) m=19 MiB t=2 p=1, median ≤ 700 ms, loop delay p99 < 100 ms; (b) verifications ≤ limit per (IP, user) per window, then 429 + Retry-After; (c) family revoked 100%, tokens hashed; (d, e, g) 100% refused, open sockets of a revoked session closed',
      passed,
      negativeControls: controls,
      config: {
        hashes: HASHES,
        accounts: ACCOUNTS,
        addresses: ADDRESSES,
        attempts: ATTEMPTS,
        families: FAMILIES,
        logouts: LOGOUTS,
      },
      historyFile: history.file,
      notes,
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(limitedSeen).toBeGreaterThan(0);
    expect(failures).toEqual(Object.fromEntries(Object.keys(failures).map((k) => [k, 0])));
  });
});
