import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import type { EntityManager } from 'typeorm';
import { STATS_MEASURES, STATS_TRIGGERS, STATS_TYPES } from './entities/stats.entity';
import { SystemDb, TenantDb } from '@app/database';

/** Reports that count in statistics (drafts never do). */
const COUNTED_SQL = `i.status IN ('submitted', 'reviewed', 'closed')`;
const LONDON_DAY = `(i.occurred_at AT TIME ZONE 'Europe/London')::date`;
/** A full rebuild scans every report: minutes over 10M rows, past the pool's 15 s read timeout. */
const REBUILD_QUERY_TIMEOUT_MS = 2 * 3600_000;

/** Runs one statement of the transaction with its own read timeout (pg's per-query option). */
async function longQuery(em: EntityManager, sql: string): Promise<void> {
  const client = (await em.queryRunner!.connect()) as {
    query(q: { text: string; query_timeout: number }): Promise<unknown>;
  };
  await client.query({ text: sql, query_timeout: REBUILD_QUERY_TIMEOUT_MS });
}
const mask = (column: string, values: readonly string[]) =>
  `(SELECT coalesce(bit_or(1 << (array_position('{${values.join(',')}}'::text[], x::text) - 1)), 0)::int FROM unnest(i.${column}) AS x)`;
const TYPES_MASK = mask('types', STATS_TYPES);
const TRIGGERS_MASK = mask('triggers', STATS_TRIGGERS);
const COLS = STATS_MEASURES.map((m) => m.column).join(', ');
const AGGS = STATS_MEASURES.map((m) => m.sql).join(', ');
const SUMS = STATS_MEASURES.map((m) => `sum(${m.column})`).join(', ');

/** Re-reads this far behind the watermark, so reports committed late are never skipped. */
const OVERLAP = `interval '2 minutes'`;

export interface FoldResult {
  incidents: number;
  days: number;
  batches: number;
}

/**
 * The statistics rollups (stats_days, stats_months, stats_store_days), kept from the incidents
 * table. The unit of work is a partnership-day, recomputed from the raw rows, so replaying any
 * fold or day changes nothing. New reports are found from a per-partnership watermark on
 * (created_at, id); amendments arrive as rollup-day jobs for the days they touch.
 */
@Injectable()
export class IncidentRollupRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
    @Optional() private readonly config?: AppConfig,
  ) {}

  /** Recomputes one partnership's rollups for one London day; returns the number of day cells. */
  rollupDay(partnershipId: string, day: string): Promise<number> {
    return this.db.run({ partnershipId }, async (em) => {
      await this.lock(em, partnershipId);
      return this.recomputeDays(em, partnershipId, [day]);
    });
  }

  /**
   * Folds reports created since the partnership's watermark, in batches of `batchSize`, each batch
   * in its own transaction that also advances the watermark.
   */
  async fold(partnershipId: string, batchSize = 5000): Promise<FoldResult> {
    const result: FoldResult = { incidents: 0, days: 0, batches: 0 };
    // timestamps travel as text: a JS Date would drop the microseconds and re-read rows forever
    let cursor: { at: string; id: string } | null = null;
    for (let batch = 0; batch < 10_000; batch++) {
      const step: { n: number; days: number; last: { at: string; id: string } | null } = await this.db.run(
        { partnershipId },
        async (em) => {
          await this.lock(em, partnershipId);
          if (!cursor) {
            const [wm] = (await em.query(
              `SELECT (created_through - ${OVERLAP})::text AS at FROM stats_watermarks WHERE partnership_id = $1`,
              [partnershipId],
            )) as { at: string }[];
            cursor = { at: wm?.at ?? '-infinity', id: '00000000-0000-0000-0000-000000000000' };
          }
          const rows = (await em.query(
            `SELECT i.created_at::text AS at, i.id, ${LONDON_DAY}::text AS day
               FROM incidents i
              WHERE i.partnership_id = $1 AND (i.created_at, i.id) > ($2::timestamptz, $3::uuid)
              ORDER BY i.created_at, i.id
              LIMIT $4`,
            [partnershipId, cursor.at, cursor.id, batchSize],
          )) as { at: string; id: string; day: string }[];
          if (rows.length === 0) {
            return { n: 0, days: 0, last: null };
          }
          const days = [...new Set(rows.map((r) => r.day))];
          await this.recomputeDays(em, partnershipId, days);
          const last = rows[rows.length - 1];
          await em.query(
            `INSERT INTO stats_watermarks (partnership_id, created_through, last_incident_id, folded_at)
             VALUES ($1, $2::timestamptz, $3, now())
             ON CONFLICT (partnership_id) DO UPDATE
               SET created_through = greatest(stats_watermarks.created_through, EXCLUDED.created_through),
                   last_incident_id = CASE WHEN EXCLUDED.created_through >= stats_watermarks.created_through
                                           THEN EXCLUDED.last_incident_id ELSE stats_watermarks.last_incident_id END,
                   folded_at = now()`,
            [partnershipId, last.at, last.id],
          );
          return { n: rows.length, days: days.length, last: { at: last.at, id: last.id } };
        },
      );
      if (step.n === 0) {
        break;
      }
      result.incidents += step.n;
      result.days += step.days;
      result.batches++;
      cursor = step.last;
      if (step.n < batchSize) {
        break;
      }
    }
    return result;
  }

  /** Partnerships with reports, for the periodic fold. */
  async partnershipIds(): Promise<string[]> {
    return this.system.run(async (em) =>
      ((await em.query(`SELECT id FROM partnerships ORDER BY id`)) as { id: string }[]).map((r) => r.id),
    );
  }

  /** Drops every rollup and rebuilds them from the incidents table, watermarks included. */
  rebuild(): Promise<{ days: number }> {
    return this.system.run(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('stats:rebuild', 0))`);
      await em.query(`DELETE FROM stats_days`);
      await em.query(`DELETE FROM stats_months`);
      await em.query(`DELETE FROM stats_store_days`);
      await em.query(`DELETE FROM stats_watermarks`);
      await em.query(`DELETE FROM incident_daily_counts`);
      await longQuery(
        em,
        `INSERT INTO incident_daily_counts (partnership_id, store_id, day, type, count, value_pence)
         SELECT i.partnership_id, i.store_id, ${LONDON_DAY}, t.type, count(*)::int, sum(i.value_pence)
           FROM incidents i CROSS JOIN LATERAL unnest(i.types) AS t(type) WHERE ${COUNTED_SQL}
          GROUP BY 1, 2, 3, 4`,
      );
      await longQuery(
        em,
        `INSERT INTO stats_days (partnership_id, day, types_mask, triggers_mask, ${COLS})
         SELECT i.partnership_id, ${LONDON_DAY}, ${TYPES_MASK}, ${TRIGGERS_MASK}, ${AGGS}
           FROM incidents i WHERE ${COUNTED_SQL}
          GROUP BY 1, 2, 3, 4`,
      );
      await longQuery(
        em,
        `INSERT INTO stats_store_days (store_id, day, partnership_id, ${COLS})
         SELECT i.store_id, ${LONDON_DAY}, i.partnership_id, ${AGGS}
           FROM incidents i WHERE ${COUNTED_SQL}
          GROUP BY 1, 2, 3`,
      );
      await longQuery(
        em,
        `INSERT INTO stats_months (partnership_id, month, types_mask, triggers_mask, ${COLS})
         SELECT partnership_id, date_trunc('month', day)::date, types_mask, triggers_mask, ${SUMS}
           FROM stats_days GROUP BY 1, 2, 3, 4`,
      );
      await longQuery(
        em,
        `INSERT INTO stats_watermarks (partnership_id, created_through, last_incident_id, folded_at)
         SELECT DISTINCT ON (partnership_id) partnership_id, created_at, id, now()
           FROM incidents ORDER BY partnership_id, created_at DESC, id DESC`,
      );
      const [{ n }] = (await em.query(`SELECT count(*)::int AS n FROM stats_days`)) as { n: number }[];
      return { days: n };
    });
  }

  /** One fold or day job per partnership at a time; a rebuild excludes them all. */
  private async lock(em: EntityManager, partnershipId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended('stats:rebuild', 0))`);
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stats:${partnershipId}`]);
  }

  private async recomputeDays(em: EntityManager, partnershipId: string, days: string[]): Promise<number> {
    const window = `JOIN incidents i ON i.partnership_id = $1
            AND i.occurred_at >= (d.day::timestamp AT TIME ZONE 'Europe/London')
            AND i.occurred_at < ((d.day + 1)::timestamp AT TIME ZONE 'Europe/London')
            AND ${COUNTED_SQL}`;
    await em.query(`DELETE FROM stats_days WHERE partnership_id = $1 AND day = ANY($2::date[])`, [
      partnershipId,
      days,
    ]);
    await em.query(`DELETE FROM stats_store_days WHERE partnership_id = $1 AND day = ANY($2::date[])`, [
      partnershipId,
      days,
    ]);
    const cells = (await em.query(
      `INSERT INTO stats_days (partnership_id, day, types_mask, triggers_mask, ${COLS})
       SELECT $1::uuid, d.day, ${TYPES_MASK}, ${TRIGGERS_MASK}, ${AGGS}
         FROM unnest($2::date[]) AS d(day) ${window}
        GROUP BY 1, 2, 3, 4
       RETURNING 1`,
      [partnershipId, days],
    )) as unknown[];
    await em.query(
      `INSERT INTO stats_store_days (store_id, day, partnership_id, ${COLS})
       SELECT i.store_id, d.day, $1::uuid, ${AGGS}
         FROM unnest($2::date[]) AS d(day) ${window}
        GROUP BY 1, 2, 3`,
      [partnershipId, days],
    );
    // the first rollup (per store, day and type), kept for its readers; the broken variant (R1's
    // negative control) writes the day's cells again without replacing them
    if (!this.config?.testDefects.has('effect-without-unique-key')) {
      await em.query(
        `DELETE FROM incident_daily_counts WHERE partnership_id = $1 AND day = ANY($2::date[])`,
        [partnershipId, days],
      );
    }
    await em.query(
      `INSERT INTO incident_daily_counts (partnership_id, store_id, day, type, count, value_pence)
       SELECT $1::uuid, i.store_id, d.day, t.type, count(*)::int, sum(i.value_pence)
         FROM unnest($2::date[]) AS d(day) ${window} CROSS JOIN LATERAL unnest(i.types) AS t(type)
        GROUP BY i.store_id, d.day, t.type`,
      [partnershipId, days],
    );
    const months = [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))];
    await em.query(`DELETE FROM stats_months WHERE partnership_id = $1 AND month = ANY($2::date[])`, [
      partnershipId,
      months,
    ]);
    await em.query(
      `INSERT INTO stats_months (partnership_id, month, types_mask, triggers_mask, ${COLS})
       SELECT partnership_id, date_trunc('month', day)::date, types_mask, triggers_mask, ${SUMS}
         FROM stats_days
        WHERE partnership_id = $1 AND day >= (SELECT min(m) FROM unnest($2::date[]) m)
          AND date_trunc('month', day)::date = ANY($2::date[])
        GROUP BY 1, 2, 3, 4`,
      [partnershipId, months],
    );
    return cells.length;
  }
}
