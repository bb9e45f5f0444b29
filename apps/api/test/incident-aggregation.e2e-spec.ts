import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobName } from '@app/queue';
import {
  buildIncidentRequest,
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  OwnRedis,
  postIncident,
  startTestApi,
  STORE_DAY_TYPE_COUNTS,
  type TestApi,
} from '@app/testing';
import { AggregationProcessor } from '../../worker/src/aggregation/aggregation.processor';
import { IdempotencyPurgeProcessor } from '../../worker/src/aggregation/idempotency-purge.processor';
import { WorkerModule } from '../../worker/src/worker.module';

/**
 * Nothing is lost between report and processing: the outbox row commits with the report, and the
 * worker's relay publishes it once Redis is back. Uses its own redis-server so stopping it cannot
 * disturb other test files.
 */
// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

describe('aggregation of accepted reports', () => {
  let redis: OwnRedis;
  let api: TestApi;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  let tablet: { deviceId: string; token: string };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    api = await startTestApi({ REDIS_URL: redis.url });
    p = await givenPartnership(api);
    tablet = await givenTablet(api, p);
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await redis?.destroy();
  });

  const counts = async () =>
    (await api.db.owner.query(
      `SELECT store_id, to_char(day, 'YYYY-MM-DD') AS day, type, count, value_pence::int AS value
         FROM (${STORE_DAY_TYPE_COUNTS}) c WHERE partnership_id = $1 ORDER BY type`,
      [p.partnershipId],
    )) as { store_id: string; day: string; type: string; count: number; value: number }[];

  it('aggregates a report committed while Redis is down once Redis returns', async () => {
    await redis.stop();
    const occurredAt = '2026-10-20T23:30:00Z'; // 00:30 on the 21st in London (BST)
    const res = await postIncident(api, tablet.token, buildIncidentRequest({ occurredAt }), randomUUID());
    expect(res.status).toBe(201);
    const pending = await api.db.owner.query(
      `SELECT payload FROM outbox WHERE partnership_id = $1 AND published_at IS NULL`,
      [p.partnershipId],
    );
    expect(pending).toEqual([
      { payload: { partnershipId: p.partnershipId, day: '2026-10-21', requestId: expect.any(String) } },
    ]);
    expect(await counts()).toEqual([]);

    await redis.start();
    const rows = await eventually(async () => {
      const c = await counts();
      expect(c).toHaveLength(2);
      return c;
    }, 30_000);
    const value = 6 * 650 + 2400;
    expect(rows).toEqual([
      { store_id: p.storeIds[0], day: '2026-10-21', type: 'theft_shop', count: 1, value },
      { store_id: p.storeIds[0], day: '2026-10-21', type: 'verbal_abuse', count: 1, value },
    ]);
    const published = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM outbox WHERE partnership_id = $1 AND published_at IS NULL`,
      [p.partnershipId],
    );
    expect(published[0].n).toBe(0);
  });

  it('is idempotent: the same job twice equals once, and drafts are not counted', async () => {
    const before = await counts();
    const aggregation = worker.get(AggregationProcessor);
    const job = { partnershipId: p.partnershipId, day: '2026-10-21', requestId: 'test' };
    await aggregation.handlers[JobName.RollupDay](job);
    await aggregation.handlers[JobName.RollupDay](job);
    expect(await counts()).toEqual(before);
    const draft = await postIncident(
      api,
      tablet.token,
      buildIncidentRequest({ occurredAt: '2026-10-21T10:00:00Z', status: 'draft' }),
    );
    expect(draft.status).toBe(201);
    await aggregation.handlers[JobName.RollupDay](job);
    expect(await counts()).toEqual(before);
  });

  it('an amendment takes back the old figures and adds the new ones, as a rebuild would count them', async () => {
    const filed = await postIncident(
      api,
      tablet.token,
      buildIncidentRequest({ occurredAt: '2026-10-22T12:00:00Z' }),
      randomUUID(),
    );
    expect(filed.status).toBe(201);
    const day = (d: string) => async () => (await counts()).filter((c) => c.day === d);
    await eventually(async () => expect(await day('2026-10-22')()).toHaveLength(2), 30_000);

    const amended = await api.http.request('PATCH', `/api/v1/incidents/${filed.body.id}`, {
      token: p.tokens.coordinator,
      body: {
        version: filed.body.version,
        types: ['robbery'],
        occurredAt: '2026-10-23T12:00:00Z',
        reason: 'wrong day and offence',
      },
    });
    expect(amended.status).toBe(200);
    const moved = await eventually(async () => {
      const rows = await day('2026-10-23')();
      expect(rows).toHaveLength(1);
      return rows;
    }, 30_000);
    expect(moved).toEqual([
      { store_id: p.storeIds[0], day: '2026-10-23', type: 'robbery', count: 1, value: 6 * 650 + 2400 },
    ]);
    expect(await day('2026-10-22')()).toEqual([]);

    // every rollup equals a rebuild from the raw reports
    const rollups = async () =>
      api.db.owner.query(
        `SELECT (SELECT json_agg(d ORDER BY day, types_mask, triggers_mask) FROM stats_days d WHERE partnership_id = $1) AS days,
                (SELECT json_agg(m ORDER BY month, types_mask, triggers_mask) FROM stats_months m WHERE partnership_id = $1) AS months,
                (SELECT json_agg(m ORDER BY dimension, month) FROM stats_month_dims m WHERE partnership_id = $1) AS month_dims,
                (SELECT json_agg(s ORDER BY store_id, day) FROM stats_store_days s WHERE partnership_id = $1) AS stores`,
        [p.partnershipId],
      );
    const folded = await rollups();
    await worker.get(AggregationProcessor).handlers[JobName.RebuildRollups]();
    expect(await rollups()).toEqual(folded);
  });

  it('purges idempotency keys older than the retention (30 days) and keeps newer ones', async () => {
    const insert = (key: string, age: string) =>
      api.db.owner.query(
        `INSERT INTO idempotency_keys (partnership_id, principal_id, key, fingerprint, state, created_at)
         VALUES ($1, $2, $3, 'f', 'completed', now() - $4::interval)`,
        [p.partnershipId, tablet.deviceId, key, age],
      );
    await insert('old-key', '31 days');
    await insert('recent-key', '29 days');
    await worker.get(IdempotencyPurgeProcessor).handlers[JobName.PurgeIdempotencyKeys]();
    const keys = (
      await api.db.owner.query(`SELECT key FROM idempotency_keys WHERE key IN ('old-key', 'recent-key')`)
    ).map((r: { key: string }) => r.key);
    expect(keys).toEqual(['recent-key']);
  });
});
