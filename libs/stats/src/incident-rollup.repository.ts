import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import type { EntityManager } from 'typeorm';
import {
  ALL_DIMENSION,
  measureSql,
  STATS_MEASURES,
  STATS_TRIGGERS,
  STATS_TYPES,
  type StatsMeasure,
  triggerDimension,
  typeDimension,
} from './entities/stats.entity';
import { namedQuery, SystemDb, TenantDb } from '@app/database';

/** Reports that count in statistics (drafts never do). */
const COUNTED_SQL = `i.status IN ('submitted', 'reviewed', 'closed')`;
const LONDON_DAY_OF = (row: string) => `(${row}.occurred_at AT TIME ZONE 'Europe/London')::date`;
/** A full rebuild scans every report: minutes over 10M rows, past the pool's 15 s read timeout. */
const REBUILD_QUERY_TIMEOUT_MS = 2 * 3600_000;

/** Runs one statement of the transaction with its own read timeout (pg's per-query option). */
async function longQuery(em: EntityManager, sql: string): Promise<void> {
  const client = (await em.queryRunner!.connect()) as {
    query(q: { text: string; query_timeout: number }): Promise<unknown>;
  };
  await client.query({ text: sql, query_timeout: REBUILD_QUERY_TIMEOUT_MS });
}
/** A row's set of types (or triggers) as a bit mask. */
const mask = (row: string, column: string, values: readonly string[]) =>
  `(${values.map((v, n) => `CASE WHEN '${v}' = ANY(${row}.${column}) THEN ${1 << n} ELSE 0 END`).join(' | ')})`;
const typesMask = (row: string) => mask(row, 'types', STATS_TYPES);
const triggersMask = (row: string) => mask(row, 'triggers', STATS_TRIGGERS);
const COLS = STATS_MEASURES.map((m) => m.column).join(', ');
/** the measures over reports `i`, and over pending changes `i` (each +1 or -1) */
const COUNTS = STATS_MEASURES.map((m) => measureSql(m, '1')).join(', ');
const DELTAS = STATS_MEASURES.map((m) => measureSql(m, 'i.sign')).join(', ');
/**
 * Counts stay int (the columns' type) at every step: summing the bigint that sum(int) returns would
 * be numeric arithmetic, several times slower in the fold's sums of sums.
 */
const asColumn = (m: StatsMeasure, sql: string) => (m.money ? sql : `(${sql})::int`);
const NAMED_DELTAS = STATS_MEASURES.map((m) => `${asColumn(m, measureSql(m, 'i.sign'))} AS ${m.column}`).join(
  ', ',
);
const SUMS = STATS_MEASURES.map((m) => `sum(${m.column})`).join(', ');
/** The measures of `c`, cells already summed, summed again (over several cells). */
const CELL_SUMS = STATS_MEASURES.map((m) => `${asColumn(m, `sum(c.${m.column})`)} AS ${m.column}`).join(', ');

/**
 * The dimensions of `stats_month_dims` a cell `c` of a types/triggers mask counts in: `all`, and
 * one per bit set in each mask.
 */
const bitDimensions = (dimensions: readonly string[], mask: string) =>
  dimensions.map((d, n) => `SELECT '${d}' WHERE (c.${mask} & ${1 << n}) <> 0`).join(' UNION ALL ');
const DIMENSIONS_OF_CELL = `CROSS JOIN LATERAL (
  SELECT '${ALL_DIMENSION}' UNION ALL ${bitDimensions(STATS_TYPES.map(typeDimension), 'types_mask')}
  UNION ALL ${bitDimensions(STATS_TRIGGERS.map(triggerDimension), 'triggers_mask')}
) AS d(dimension)`;

/** Adds the partnership × month × dimension cells of month cells `c` (with masks) to stats_month_dims. */
const monthDimsSql = (cells: string, conflict: boolean) => `
    INSERT INTO stats_month_dims (partnership_id, month, dimension, ${COLS})
    SELECT c.partnership_id, c.month, d.dimension, ${CELL_SUMS} FROM ${cells} c ${DIMENSIONS_OF_CELL}
     GROUP BY 1, 2, 3${conflict ? `\n    ON CONFLICT (dimension, partnership_id, month) DO UPDATE SET ${ADD('stats_month_dims')}` : ''}`;

/** The rollup tables, each keyed by partnership with an `incidents` count. */
const ROLLUPS = ['stats_days', 'stats_months', 'stats_month_dims', 'stats_store_days'];

export interface FoldResult {
  /** pending changes folded */
  incidents: number;
  batches: number;
}

const ADD = (table: string) =>
  STATS_MEASURES.map((m) => `${m.column} = ${table}.${m.column} + EXCLUDED.${m.column}`).join(', ');

/**
 * One batch of a partnership's pending changes (`stats_pending`, written by a trigger on
 * `incidents`), taken and added to the four rollups in one statement. Taking and adding commit
 * together, so a redelivered job finds nothing left to add. With `keep` (the broken variant of R1's
 * negative control) the changes are read but not taken, so every further fold adds them again.
 */
const foldSql = (keep: boolean) => {
  // The partnership's oldest changes, as one range of the (partnership_id, id) index: every id
  // below the first one past the batch. Not `id IN (subquery … LIMIT)`: with statistics taken while
  // nothing was pending, the planner ran that subquery once per pending row (17 s for 10k).
  const batch = `p.partnership_id = $1 AND p.id < coalesce(
    (SELECT q.id FROM stats_pending q WHERE q.partnership_id = $1 ORDER BY q.id OFFSET $2 LIMIT 1),
    9223372036854775807)`;
  const day = LONDON_DAY_OF('p');
  const taken = keep
    ? `SELECT p.*, ${day} AS day FROM stats_pending p WHERE ${batch}`
    : `DELETE FROM stats_pending p WHERE ${batch} RETURNING p.*, ${day} AS day`;
  // The measures are computed once per partnership × day × type and trigger set, and the masks
  // once per such set rather than per change; the month and dimension rollups sum those cells
  // rather than the changes again.
  return `
  WITH i AS (${taken}),
  sets AS (
    SELECT i.partnership_id, i.day, i.types, i.triggers, ${NAMED_DELTAS} FROM i GROUP BY 1, 2, 3, 4
  ),
  cells AS MATERIALIZED (
    SELECT c.partnership_id, c.day, ${typesMask('c')} AS types_mask, ${triggersMask('c')} AS triggers_mask, ${CELL_SUMS}
      FROM sets c GROUP BY 1, 2, 3, 4
  ),
  days AS (
    INSERT INTO stats_days (partnership_id, day, types_mask, triggers_mask, ${COLS})
    SELECT c.partnership_id, c.day, c.types_mask, c.triggers_mask, ${COLS} FROM cells c
    ON CONFLICT (partnership_id, day, types_mask, triggers_mask) DO UPDATE SET ${ADD('stats_days')}
  ),
  month_cells AS MATERIALIZED (
    SELECT c.partnership_id, date_trunc('month', c.day)::date AS month, c.types_mask, c.triggers_mask, ${CELL_SUMS}
      FROM cells c GROUP BY 1, 2, 3, 4
  ),
  months AS (
    INSERT INTO stats_months (partnership_id, month, types_mask, triggers_mask, ${COLS})
    SELECT c.partnership_id, c.month, c.types_mask, c.triggers_mask, ${COLS} FROM month_cells c
    ON CONFLICT (partnership_id, month, types_mask, triggers_mask) DO UPDATE SET ${ADD('stats_months')}
  ),
  month_dims AS (${monthDimsSql('month_cells', true)}
  ),
  stores AS (
    INSERT INTO stats_store_days (partnership_id, day, store_id, ${COLS})
    SELECT i.partnership_id, i.day, i.store_id, ${DELTAS} FROM i GROUP BY 1, 2, 3
    ON CONFLICT (partnership_id, day, store_id) DO UPDATE SET ${ADD('stats_store_days')}
  )
  SELECT count(*)::int AS n, count(*) FILTER (WHERE i.sign < 0)::int AS taken_back FROM i`;
};

/** Prepared once per connection: parsing and analysing the statement took 15 ms of a ~200 ms fold. */
const FOLD = foldSql(false);
const FOLD_KEEP = foldSql(true);

/**
 * The statistics rollups (stats_days, stats_months, stats_month_dims, stats_store_days). Each
 * report adds to its cells as a delta; an amendment or status change takes back the old values and
 * adds the new. A full recompute happens only on rebuild.
 */
@Injectable()
export class IncidentRollupRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
    @Optional() private readonly config?: AppConfig,
  ) {}

  /** Folds the partnership's pending changes, `batchSize` at a time, each batch one transaction. */
  async fold(partnershipId: string, batchSize = 5000): Promise<FoldResult> {
    const keep = this.config?.testDefects.has('fold-keeps-pending') ?? false;
    const result: FoldResult = { incidents: 0, batches: 0 };
    for (let batch = 0; batch < 10_000; batch++) {
      const n = await this.db.run({ partnershipId }, async (em) => {
        await this.lock(em, partnershipId);
        const [step] = await namedQuery<{ n: number; taken_back: number }>(em, keep ? FOLD_KEEP : FOLD, [
          partnershipId,
          batchSize,
        ]);
        if (step.taken_back > 0) {
          await dropEmptyCells(em, partnershipId);
        }
        return step.n;
      });
      result.incidents += n;
      result.batches += n > 0 ? 1 : 0;
      if (n < batchSize || keep) {
        break;
      }
    }
    return result;
  }

  /** Partnerships with changes waiting, for the periodic fold. */
  async partnershipIds(): Promise<string[]> {
    return this.system.run(async (em) =>
      (
        (await em.query(`SELECT DISTINCT partnership_id AS id FROM stats_pending ORDER BY 1`)) as {
          id: string;
        }[]
      ).map((r) => r.id),
    );
  }

  /**
   * Drops every rollup and rebuilds them from the incidents table. The pending changes are taken in
   * the same statement (one snapshot) as the reports are read, so a report committed meanwhile is
   * counted once: by the rebuild, or by a later fold.
   */
  rebuild(): Promise<{ days: number }> {
    return this.system.run(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('stats:rebuild', 0))`);
      for (const table of ROLLUPS) {
        await em.query(`DELETE FROM ${table}`);
      }
      await longQuery(
        em,
        `WITH taken AS (DELETE FROM stats_pending),
         i AS (SELECT i.*, ${LONDON_DAY_OF('i')} AS day FROM incidents i WHERE ${COUNTED_SQL}),
         days AS (
           INSERT INTO stats_days (partnership_id, day, types_mask, triggers_mask, ${COLS})
           SELECT i.partnership_id, i.day, ${typesMask('i')}, ${triggersMask('i')}, ${COUNTS} FROM i GROUP BY 1, 2, 3, 4
           RETURNING *
         ),
         months AS (
           INSERT INTO stats_months (partnership_id, month, types_mask, triggers_mask, ${COLS})
           SELECT partnership_id, date_trunc('month', day)::date, types_mask, triggers_mask, ${SUMS}
             FROM days GROUP BY 1, 2, 3, 4
           RETURNING *
         ),
         month_dims AS (${monthDimsSql('months', false)}
         ),
         stores AS (
           INSERT INTO stats_store_days (store_id, day, partnership_id, ${COLS})
           SELECT i.store_id, i.day, i.partnership_id, ${COUNTS} FROM i GROUP BY 1, 2, 3
         )
         SELECT 1`,
      );
      const [{ n }] = (await em.query(`SELECT count(*)::int AS n FROM stats_days`)) as { n: number }[];
      return { days: n };
    });
  }

  /**
   * One fold per partnership at a time; a rebuild excludes them all. JIT is off for the fold: its
   * dozens of aggregates over a large batch cost far more to compile (1.7 s measured for 10k
   * changes) than to run.
   */
  private async lock(em: EntityManager, partnershipId: string): Promise<void> {
    await em.query(
      `SELECT pg_advisory_xact_lock_shared(hashtextextended('stats:rebuild', 0)), set_config('jit', 'off', true)`,
    );
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stats:${partnershipId}`]);
  }
}

/** Cells whose reports were all amended away hold only zeros: remove them, as a rebuild would. */
async function dropEmptyCells(em: EntityManager, partnershipId: string): Promise<void> {
  for (const table of ROLLUPS) {
    await em.query(`DELETE FROM ${table} WHERE partnership_id = $1 AND incidents = 0`, [partnershipId]);
  }
}
