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
      `SELECT store_id, to_char(day, 'YYYY-MM-DD') AS day, type::text, count, value_pence::int AS value
         FROM incident_daily_counts WHERE partnership_id = $1 ORDER BY type`,
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
