import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
import {
  eventually,
  givenPartnership,
  type GivenPartnership,
  OwnRedis,
  type RadioPair,
  recordingClient,
  type RecordingClient,
  startRadioPair,
  startTestApi,
  startTestWorker,
  type TestApi,
} from '@app/testing';

// Starting an api, two radios and a worker takes a while on a shared machine (the project's
// testTimeout is a global option jest ignores per project).
jest.setTimeout(120_000);

/**
 * Redis carries live alerts only; PostgreSQL holds them all. Our own redis-server (AOF, loopback,
 * free port) is stopped gracefully and then SIGKILLed mid-stream; the shared test Redis is never
 * touched. Every client must end with exactly the committed alerts, in order, each once.
 */
describe('radio across a Redis restart', () => {
  let redis: OwnRedis;
  let api: TestApi;
  let radio: RadioPair;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.start();
    api = await startTestApi({ REDIS_URL: redis.url, ALERT_RATE_LIMIT_PER_MINUTE: '1000' });
    radio = await startRadioPair(api.db.config);
    worker = await startTestWorker(api.db.config);
    p = await givenPartnership(api);
  });
  afterAll(async () => {
    for (const c of clients) {
      c.client.close();
    }
    await radio?.close();
    await worker?.close();
    await api?.close();
    await redis?.destroy();
  });

  const raise = async (i: number) => {
    const res = await api.http.post(
      '/api/v1/alerts',
      { type: 'information', message: `stream ${i}`, target: { kind: 'partnership' } },
      p.tokens[Role.Coordinator],
    );
    expect(res.status).toBe(201);
  };
  const committed = async () =>
    (
      await api.db.owner.query<{ id: string }[]>(
        `SELECT id FROM alerts WHERE partnership_id = $1 ORDER BY seq`,
        [p.partnershipId],
      )
    ).map((r) => r.id);

  it('loses nothing for clients on either instance', async () => {
    const tokens = [p.tokens[Role.Shopworker], p.tokens[Role.Police], p.tokens[Role.StoreManager]];
    for (const [i, token] of tokens.entries()) {
      const c = recordingClient(radio.urls[(i % 2) as 0 | 1], radio.path, token, { lastSeq: 0 });
      clients.push(c);
      await c.client.connect();
    }
    let n = 0;
    for (; n < 5; n += 1) {
      await raise(n);
    }
    await eventually(() => {
      for (const c of clients) {
        expect(c.shown).toHaveLength(5);
      }
    });

    await redis.stop('SIGTERM'); // graceful: AOF fsynced
    for (; n < 10; n += 1) {
      await raise(n); // committed to PostgreSQL while Redis is away
    }
    await redis.start();
    for (; n < 15; n += 1) {
      await raise(n);
    }
    await redis.stop('SIGKILL');
    for (; n < 20; n += 1) {
      await raise(n);
    }
    await redis.start();
    // one client also drops its connection and comes back
    clients[2].client.disconnect();
    for (; n < 25; n += 1) {
      await raise(n);
    }
    await clients[2].client.connect();

    const ids = await committed();
    expect(ids).toHaveLength(25);
    for (const c of clients) {
      await eventually(() => expect(c.shown.map((s) => s.id)).toEqual(ids), 60_000);
    }
  });
});
