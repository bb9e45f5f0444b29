import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { EnvSchema } from '@app/config';
import { REDIS } from '@app/redis';
import {
  buildIncidentRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  type TestApi,
  testConfig,
} from '@app/testing';
import { readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type HistoryEntry,
  type NegativeControl,
  recordResult,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { startApiOn } from '../lib/stack';
import { secRequest, type SecResult } from './security-http';

jest.setTimeout(SPEC_TIMEOUT_MS);

/**
 * S7: bursts past each limit (login per address and account, report create, alert broadcast and
 * evidence pack export per sender), sent concurrently, at the production defaults. Logins carry
 * spoofed X-Forwarded-For headers, on an api that trusts no proxy and on one that deliberately
 * trusts its proxy (127.0.0.1), so the key is the client address the proxy saw. The checker counts
 * successes beyond each limit (0) from the history; the Redis counters are read back. Negative
 * controls: the login burst again, on this api built with a limiter keyed on the forwarded header
 * and with no limiter (TEST_DEFECTS), judged by the same checker.
 */
const ID = 'S7';
const SEED = deriveSeed(ID);
const OVER = scale(2, 5);
const SPOOFS = scale(10, 50);
const DEFAULTS = new EnvSchema();

interface Attempt {
  limiter: string;
  /** the key the server is meant to count on */
  key: string;
  /** the X-Forwarded-For value sent, if any */
  xff?: string;
  /** a request that would succeed were it not limited (e.g. the right password) */
  wouldSucceed: boolean;
}

export interface LimitCounts {
  attempts: number;
  overLimitSuccesses: number;
  overLimitAnswered: number;
  limitedWithoutRetryAfter: number;
  groups: number;
}

/**
 * Over-limit answers per key, in the order the server answered: the (limit+1)th non-429 answer on
 * the key the limiter is meant to count on (limiter and key recorded with each attempt) and every
 * one after it is over the limit.
 */
export function checkLimits(history: HistoryEntry[], limits: Record<string, number>): LimitCounts {
  const attempts = history
    .filter((h) => h.kind === 'burst')
    .sort((a, b) => (a.completeAt ?? 0) - (b.completeAt ?? 0));
  const intended = new Map<string, number>();
  let overLimitSuccesses = 0;
  let overLimitAnswered = 0;
  for (const h of attempts) {
    const limit = limits[String(h.value?.limiter)];
    const realKey = `${String(h.value?.limiter)}|${String(h.value?.key)}`;
    if (h.status !== 429) {
      const used = intended.get(realKey) ?? 0;
      intended.set(realKey, used + 1);
      if (used >= limit) {
        overLimitAnswered += 1;
        if ((h.status ?? 0) >= 200 && (h.status ?? 0) < 300) {
          overLimitSuccesses += 1;
        }
      }
    }
  }
  return {
    attempts: attempts.length,
    overLimitSuccesses,
    overLimitAnswered,
    limitedWithoutRetryAfter: attempts.filter((h) => h.status === 429 && !(Number(h.value?.retryAfter) > 0))
      .length,
    groups: new Set(attempts.map((h) => `${String(h.value?.limiter)}|${String(h.value?.key)}`)).size,
  };
}

describe('S7 rate limits under bursts and spoofed X-Forwarded-For', () => {
  let api: TestApi;
  let behindProxy: TestApi;
  let p: GivenPartnership;
  const started = new Date().toISOString();

  beforeAll(async () => {
    // the production defaults (the test config raises the report limit for load tests)
    api = await startTestApi({
      REPORT_RATE_LIMIT_PER_MINUTE: String(DEFAULTS.REPORT_RATE_LIMIT_PER_MINUTE),
      PACK_RATE_LIMIT_PER_HOUR: String(DEFAULTS.PACK_RATE_LIMIT_PER_HOUR),
      ALERT_RATE_LIMIT_PER_MINUTE: String(DEFAULTS.ALERT_RATE_LIMIT_PER_MINUTE),
      LOGIN_MAX_ATTEMPTS: String(DEFAULTS.LOGIN_MAX_ATTEMPTS),
    });
    p = await givenPartnership(api);
    // the same api deliberately trusting one proxy, on the same database, with its own counters
    const config = testConfig(api.db.name, {
      TRUST_PROXY: '127.0.0.1',
      LOGIN_MAX_ATTEMPTS: String(DEFAULTS.LOGIN_MAX_ATTEMPTS),
    });
    behindProxy = await startApiOn(config, api.db.owner, api.db.name);
  });
  afterAll(async () => {
    await behindProxy?.close();
    const storage = api?.db.config.storage.dir;
    await api?.close();
    if (storage) {
      rmSync(storage, { recursive: true, force: true });
    }
  });

  it('lets nothing through beyond a limit, and no forwarded header resets a login counter', async () => {
    const history = new History(ID);
    const limits = {
      login: api.db.config.auth.loginMaxAttempts,
      'login behind proxy': behindProxy.db.config.auth.loginMaxAttempts,
      'report create': api.db.config.limits.reportsPerMinute,
      'alert broadcast': api.db.config.radio.alertRateLimitPerMinute,
      'pack export': api.db.config.limits.packsPerHour,
    };
    const attempt = (a: Attempt, send: () => Promise<SecResult>) =>
      history.run({ op: randomUUID(), client: a.limiter, kind: 'burst', key: a.key }, send, (r) => ({
        ...a,
        retryAfter: r.headers['retry-after'],
        code: r.body?.code,
      }));
    /** `n` requests at once (8 in flight): a burst, as a client loop or a script would send it */
    const burst = async (n: number, one: (i: number) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < n) {
            await one(next++);
          }
        }),
      );
    };
    const login = (
      target: TestApi,
      a: Attempt,
      email: string,
      password: string,
      from: { localAddress?: string; xff?: string },
    ) =>
      attempt(a, () =>
        secRequest(target.http.baseUrl, 'POST', '/api/v1/auth/login', {
          body: { email, password },
          localAddress: from.localAddress,
          headers: from.xff ? { 'x-forwarded-for': from.xff } : {},
        }),
      );
    const spoofed = (i: number) => `203.0.113.${(i % 250) + 1}`;

    // 1. login, trusting no proxy: a burst of wrong passwords from 127.0.0.31, then the right one,
    //    then the right one again under SPOOFS different X-Forwarded-For values
    const victim = p.users.analyst;
    const direct = '127.0.0.31';
    const directKey = `${direct}|${victim.email}`;
    await burst(limits.login * OVER, () =>
      login(api, { limiter: 'login', key: directKey, wouldSucceed: false }, victim.email, 'wrong', {
        localAddress: direct,
      }),
    );
    await login(
      api,
      { limiter: 'login', key: directKey, wouldSucceed: true },
      victim.email,
      victim.password,
      {
        localAddress: direct,
      },
    );
    await burst(SPOOFS, (i) =>
      login(
        api,
        { limiter: 'login', key: directKey, xff: spoofed(i), wouldSucceed: true },
        victim.email,
        victim.password,
        { localAddress: direct, xff: spoofed(i) },
      ),
    );

    // 2. login behind the trusted proxy (127.0.0.1): the key is the address the proxy appended,
    //    whatever the client put in front of it; a client reaching the api directly (127.0.0.32)
    //    is keyed on its own address whatever header it sends
    const proxied = '198.51.100.7';
    const proxiedKey = `${proxied}|${victim.email}`;
    await burst(limits['login behind proxy'] * OVER, (i) =>
      login(
        behindProxy,
        {
          limiter: 'login behind proxy',
          key: proxiedKey,
          xff: `${spoofed(i)}, ${proxied}`,
          wouldSucceed: false,
        },
        victim.email,
        'wrong',
        { localAddress: '127.0.0.1', xff: `${spoofed(i)}, ${proxied}` },
      ),
    );
    await burst(SPOOFS, (i) =>
      login(
        behindProxy,
        {
          limiter: 'login behind proxy',
          key: proxiedKey,
          xff: `${spoofed(i + 100)}, ${proxied}`,
          wouldSucceed: true,
        },
        victim.email,
        victim.password,
        { localAddress: '127.0.0.1', xff: `${spoofed(i + 100)}, ${proxied}` },
      ),
    );
    const untrusted = '127.0.0.32';
    const untrustedKey = `${untrusted}|${victim.email}`;
    await burst(limits['login behind proxy'] * OVER, (i) =>
      login(
        behindProxy,
        { limiter: 'login behind proxy', key: untrustedKey, xff: spoofed(i + 200), wouldSucceed: false },
        victim.email,
        'wrong',
        { localAddress: untrusted, xff: spoofed(i + 200) },
      ),
    );
    await burst(SPOOFS, (i) =>
      login(
        behindProxy,
        { limiter: 'login behind proxy', key: untrustedKey, xff: spoofed(i + 300), wouldSucceed: true },
        victim.email,
        victim.password,
        { localAddress: untrusted, xff: spoofed(i + 300) },
      ),
    );

    // 3. report create: one tablet, a burst past its per-minute limit, each with its own key
    const tablet = await givenTablet(api, p);
    const limitedKeys: string[] = [];
    await burst(limits['report create'] * OVER, async () => {
      const key = randomUUID();
      const r = await attempt({ limiter: 'report create', key: tablet.deviceId, wouldSucceed: true }, () =>
        secRequest(api.http.baseUrl, 'POST', '/api/v1/incidents', {
          token: tablet.token,
          body: buildIncidentRequest(),
          headers: { 'idempotency-key': key, 'x-forwarded-for': spoofed(7) },
        }),
      );
      if (r?.status === 429) {
        limitedKeys.push(key);
      }
    });
    // a refused report leaves nothing under its Idempotency-Key, so the client's retry is filed
    const keysRecordedFor429: number = (
      await api.db.owner.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ANY($1)`, [
        limitedKeys,
      ])
    )[0].n;
    // the limit is per sender: another tablet still files
    const other = await givenTablet(api, p);
    const otherFiles = (await postIncident(api, other.token)).status;

    // 4. alert broadcast: a coordinator past the per-minute limit
    await burst(limits['alert broadcast'] * OVER, (i) =>
      attempt({ limiter: 'alert broadcast', key: p.users.coordinator.id, wouldSucceed: true }, () =>
        secRequest(api.http.baseUrl, 'POST', '/api/v1/alerts', {
          token: p.tokens.coordinator,
          body: { type: 'information', message: `Burst ${i}`, target: { kind: 'partnership' } },
        }),
      ),
    );

    // 5. pack export: an officer past the per-hour limit on one case
    const caseId = (
      await api.http.post(
        '/api/v1/cases',
        { incidentId: (await postIncident(api, other.token)).body.id, reason: 'burst of pack builds' },
        p.tokens.police,
      )
    ).body.id as string;
    await burst(limits['pack export'] * OVER, () =>
      attempt({ limiter: 'pack export', key: p.users.police.id, wouldSucceed: true }, () =>
        secRequest(api.http.baseUrl, 'POST', `/api/v1/cases/${caseId}/packs`, { token: p.tokens.police }),
      ),
    );

    // the counters, read back from Redis: each under its intended key, none under a spoofed address
    const keysOf = async (t: TestApi) =>
      t.app.get<Redis>(REDIS, { strict: false }).keys(`${t.db.config.redis.prefix}:*`);
    const redisKeys = [...(await keysOf(api)), ...(await keysOf(behindProxy))];
    const expectKeys = [
      `${api.db.config.redis.prefix}:login:${directKey}`,
      `${behindProxy.db.config.redis.prefix}:login:${proxiedKey}`,
      `${behindProxy.db.config.redis.prefix}:login:${untrustedKey}`,
      `${api.db.config.redis.prefix}:report-create:${tablet.deviceId}`,
      `${api.db.config.redis.prefix}:alert-raise:${p.users.coordinator.id}`,
      `${api.db.config.redis.prefix}:pack-build:${p.users.police.id}`,
    ];
    const missingCounters = expectKeys.filter((k) => !redisKeys.includes(k));
    const spoofKeys = redisKeys.filter((k) => k.includes('203.0.113.'));

    const entries = readHistory(history.file);
    const counts = checkLimits(entries, limits);
    const per = Object.fromEntries(
      Object.keys(limits).map((l) => {
        const c = checkLimits(
          entries.filter((h) => h.value?.limiter === l),
          limits,
        );
        return [l, c];
      }),
    );
    const successes = (l: string) =>
      entries.filter((h) => h.value?.limiter === l && (h.status ?? 0) >= 200 && (h.status ?? 0) < 300).length;

    // negative controls: step 1 (a burst of wrong passwords, then the right one) from one client
    // address carrying a fresh spoofed X-Forwarded-For each time, against this api built with a
    // broken login limiter, judged by the same checker on the key the limiter is meant to count on
    const controls: NegativeControl[] = [];
    for (const [defect, label] of [
      ['login-limiter-keyed-on-forwarded-header', 'a login limiter keyed on the X-Forwarded-For header'],
      ['login-limiter-off', 'no login limiter at all (every attempt verified)'],
    ] as const) {
      const broken = await startApiOn(
        testConfig(api.db.name, {
          TEST_DEFECTS: defect,
          LOGIN_MAX_ATTEMPTS: String(DEFAULTS.LOGIN_MAX_ATTEMPTS),
        }),
        api.db.owner,
        api.db.name,
      );
      const controlHistory = new History(`${ID}-control-${defect}`);
      const from = '127.0.0.33';
      const key = `${from}|${victim.email}`;
      const tryLogin = (i: number, password: string, wouldSucceed: boolean) =>
        controlHistory.run(
          { op: randomUUID(), client: 'login', kind: 'burst', key },
          () =>
            secRequest(broken.http.baseUrl, 'POST', '/api/v1/auth/login', {
              body: { email: victim.email, password },
              localAddress: from,
              headers: { 'x-forwarded-for': spoofed(i) },
            }),
          (r) => ({
            limiter: 'login',
            key,
            xff: spoofed(i),
            wouldSucceed,
            retryAfter: r.headers['retry-after'],
          }),
        );
      try {
        await burst(limits.login * OVER, (i) => tryLogin(i, 'wrong', false));
        await burst(SPOOFS, (i) => tryLogin(i + 100, victim.password, true));
      } finally {
        await broken.close();
      }
      const c = checkLimits(readHistory(controlHistory.file), { login: limits.login });
      controls.push({
        variant: `${label} (TEST_DEFECTS=${defect}): step 1 with a spoofed header on every attempt`,
        counts: {
          attempts: c.attempts,
          overLimitSuccesses: c.overLimitSuccesses,
          overLimitAnswered: c.overLimitAnswered,
        },
        caught: c.overLimitSuccesses > 0 && c.overLimitAnswered > 0,
      });
    }

    const figures = {
      ...counts,
      ...Object.fromEntries(
        Object.entries(per).map(([l, c]) => [`${l}: over-limit successes`, c.overLimitSuccesses]),
      ),
      ...Object.fromEntries(Object.keys(limits).map((l) => [`${l}: successes`, successes(l)])),
      ...Object.fromEntries(Object.entries(limits).map(([l, n]) => [`${l}: limit`, n])),
      spoofedAttempts: entries.filter((h) => h.value?.xff).length,
      missingCounters: missingCounters.length,
      countersUnderSpoofedAddresses: spoofKeys.length,
      otherSenderRefused: otherFiles === 201 ? 0 : 1,
      reportsRefused429: limitedKeys.length,
      keysRecordedFor429,
    };
    const failures = {
      overLimitSuccesses: counts.overLimitSuccesses,
      overLimitAnswered: counts.overLimitAnswered,
      limitedWithoutRetryAfter: counts.limitedWithoutRetryAfter,
      missingCounters: missingCounters.length,
      countersUnderSpoofedAddresses: spoofKeys.length,
      otherSenderRefused: figures.otherSenderRefused,
      keysRecordedFor429,
    };
    const passed = Object.values(failures).every((n) => n === 0) && controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'Rate limits: login (address + account, spoofed X-Forwarded-For, trusted proxy), report create, alert broadcast, pack export',
      seed: SEED,
      counts: figures,
      passFigure: 'over-limit successes 0; no counter reset by spoofing; counters in Redis',
      passed,
      negativeControls: controls,
      config: { limits, burstMultiple: OVER, spoofs: SPOOFS, trustProxyOnSecondApi: '127.0.0.1' },
      historyFile: history.file,
      notes: [
        'login is keyed on client address + account: the address is the socket peer on an api trusting no proxy, and the rightmost address not in TRUST_PROXY behind a trusted one',
        'report create and pack export are keyed on the sender (user or tablet id); alert broadcast on the sender too',
        ...(missingCounters.length ? [`counters missing in Redis: ${missingCounters.join(', ')}`] : []),
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(failures).toEqual(Object.fromEntries(Object.keys(failures).map((k) => [k, 0])));
  });
});
