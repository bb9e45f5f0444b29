// Between the sides of a pair: what one side left for the worker is done before the next side is
// timed, so neither side is charged with the other's work. The baselines insert through the real
// table's statistics trigger, and no job folds their deltas (the api's reports bring one each), so
// without this the api side's first folds would take B-pg's thousands of deltas.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { sleep } from './proc.mjs';

/** Waits until no outbox message or statistics change is left; returns how long (60,000: gave up). */
export async function caughtUp(db) {
  const t = Date.now();
  while (Date.now() - t < 60_000) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL) + (SELECT count(*) FROM stats_pending) AS n`,
    );
    if (Number(rows[0].n) === 0) {
      return Date.now() - t;
    }
    await sleep(200);
  }
  return Date.now() - t;
}

/**
 * `settle()`, called after each side: asks the worker to fold `partnershipId`'s waiting deltas (the
 * job its schedule sends each minute) and waits until no delta or outbox message is left; `close()`.
 */
export async function workerSettler(ctx, partnershipId) {
  const require = createRequire(join(ctx.root, 'package.json'));
  const { Queue } = require('bullmq');
  const IORedis = require('ioredis');
  const connection = new IORedis(ctx.urls.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('aggregation', { connection, prefix: `${ctx.env.REDIS_PREFIX}-bull` });
  const db = new pg.Client({ connectionString: ctx.urls.DATABASE_MIGRATION_URL });
  await db.connect();
  return {
    settle: async () => {
      await queue.add('fold-rollups', { partnershipId, requestId: 'bench-baseline' });
      return caughtUp(db);
    },
    close: async () => {
      await queue.close();
      connection.disconnect();
      await db.end();
    },
  };
}
