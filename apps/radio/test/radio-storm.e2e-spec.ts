import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
import {
  eventually,
  givenPartnership,
  type GivenPartnership,
  type RadioPair,
  recordingClient,
  type RecordingClient,
  startRadioPair,
  startTestApi,
  startTestWorker,
  type TestApi,
  testConfig,
} from '@app/testing';

jest.setTimeout(120_000);

/** Sockets per partnership in the storm (two partnerships, split over the two radios). */
const SOCKETS = 200;

/**
 * A connection storm on a tiny pool: every socket of a store (and the staff) asking for the same
 * replay at once shares one query, queued behind RADIO_REPLAY_CONCURRENCY, so none is refused or
 * disconnected. Negative control: RADIO_REPLAY_COALESCE=false in the environment runs the old
 * one-query-per-socket path and the query count below fails (and, at bench size, pool timeouts).
 */
describe('radio connection storm', () => {
  let api: TestApi;
  let radio: RadioPair;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  let other: GivenPartnership;
  const clients: (RecordingClient & { reasons: string[]; partnership: GivenPartnership })[] = [];

  beforeAll(async () => {
    api = await startTestApi({ ALERT_RATE_LIMIT_PER_MINUTE: '1000' });
    // the radios on a pool of 2: one replay query at a time, one connection for everything else
    radio = await startRadioPair(
      testConfig(api.db.name, {
        REDIS_PREFIX: api.db.config.redis.prefix,
        DB_POOL_SIZE: '2',
        RADIO_REPLAY_CONCURRENCY: '4',
        // a wider gathering window than production's 20 ms: the handshakes (a session check each
        // on the same pool of 2) trickle in, and the count asserted below should not hinge on
        // how fast this machine runs them
        RADIO_REPLAY_GATHER_MS: '200',
        RADIO_REPLAY_COALESCE: process.env.RADIO_REPLAY_COALESCE ?? 'true',
      }),
    );
    worker = await startTestWorker(api.db.config);
    p = await givenPartnership(api);
    other = await givenPartnership(api);
  });
  afterAll(async () => {
    for (const c of clients) {
      c.client.close();
    }
    await radio.close();
    await worker.close();
    await api.close();
  });

  const raise = async (message: string) => {
    const res = await api.http.post(
      '/api/v1/alerts',
      { type: 'information', message, target: { kind: 'partnership' } },
      p.tokens[Role.Coordinator],
    );
    expect(res.status).toBe(201);
    return res.body as { id: string; seq: number };
  };
  const replayQueries = async () => {
    let total = 0;
    for (const url of radio.urls) {
      const text = await (await fetch(`${url}/metrics`)).text();
      total += Number(/^radio_replay_queries_total (\d+)/m.exec(text)?.[1] ?? NaN);
    }
    return total;
  };

  it('replays to every socket of a storm with a few queries, disconnects none, and delivers the next alert', async () => {
    const before = await raise('before the storm');
    const queriesBefore = await replayQueries();
    // store users and tablets of one store, staff, and another partnership's store, all at once
    const roles = [Role.Shopworker, Role.StoreManager, Role.Coordinator];
    for (let i = 0; i < SOCKETS * 2; i++) {
      const partnership = i % 2 === 0 ? p : other;
      const c = recordingClient(
        radio.urls[i % 4 < 2 ? 0 : 1],
        radio.path,
        partnership.tokens[roles[i % roles.length]],
        { lastSeq: 0, reconnection: false },
      );
      const reasons: string[] = [];
      c.client.on('disconnected', (reason) => reasons.push(reason));
      clients.push({ ...c, reasons, partnership });
    }
    await Promise.all(clients.map((c) => c.client.connect()));

    const ours = clients.filter((c) => c.partnership === p);
    const theirs = clients.filter((c) => c.partnership === other);
    // every socket of the partnership got the earlier alert in its replay; the other one none
    for (const c of ours) {
      expect(c.shown).toEqual([expect.objectContaining({ id: before.id, replayed: true })]);
    }
    for (const c of theirs) {
      expect(c.shown).toEqual([]);
    }
    expect(clients.filter((c) => c.reasons.length > 0 || !c.client.connected)).toEqual([]);
    // sockets of one audience (store, staff) and position share queries (at most one per gather
    // window and radio while the handshakes trickle in), queued: far fewer than one per socket
    // (the control, RADIO_REPLAY_COALESCE=false, runs exactly one per socket)
    const queries = (await replayQueries()) - queriesBefore;
    process.stdout.write(`radio storm: ${clients.length} sockets, ${queries} replay queries\n`);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThan(clients.length / 2);

    const next = await raise('after the storm');
    await eventually(() => {
      for (const c of ours) {
        expect(c.shown.map((s) => s.id)).toEqual([before.id, next.id]);
      }
    }, 30_000);
    expect(theirs.every((c) => c.shown.length === 0)).toBe(true);
    expect(clients.filter((c) => c.reasons.length > 0)).toEqual([]);
  });
});
