import { checkReports } from './checker';
import { STORE_DAY_TYPE_COUNTS } from '@app/testing';
import type { HistoryEntry } from './programme';

/**
 * The R1/R6 checker: what a report really causes in this system, each counted exactly once after
 * the faults. Filing a report commits, in one transaction, the incident row, its Idempotency-Key
 * row, an access-log 'collect' row and one outbox row (a rollup-day job for the report's London
 * day), and a trigger adds the report's pending statistics change. The worker's outbox relay
 * publishes the row as BullMQ job `outbox-<row id>`; the job folds the partnership's pending changes
 * into the rollups (stats_days, stats_store_days and its counts per type, stats_months). While a job
 * of the partnership waits or runs, BullMQ coalesces the new one into it (COALESCED in
 * libs/queue): such a row's effect is the fold of the first job of its partnership to start after
 * the row was published. So per report: one row of each kind, its outbox row published, its job (or
 * the fold that covers it) completed, and every rollup cell equal to the raw count (above: an effect
 * applied twice; below: an effect missing). Pure functions over plain data read once the system is
 * quiet.
 */
export interface EffectState {
  reports: {
    id: string;
    key: string | null;
    partnershipId: string;
    storeId: string;
    day: string;
    createdAt: number;
  }[];
  /** access_log 'collect' rows per incident id */
  collectRows: Map<string, number>;
  /** Idempotency-Key rows per key: all, and those completed */
  idempotency: Map<string, { rows: number; completed: number }>;
  /** rollup-day outbox rows: the key the report was filed under (its x-request-id), day, published */
  outbox: { id: string; partnershipId: string; requestId: string; day: string; publishedAt: number | null }[];
  /** rollup cells across the four tables: rollup value versus the raw incidents */
  cells: { cell: string; rollup: number; raw: number }[];
}

export interface EffectCounts {
  acknowledged: number;
  lost: number;
  duplicateReports: number;
  replayMismatch: number;
  keyForkedIds: number;
  /** effects present more than once (sum of the extras) */
  duplicateEffects: number;
  /** effects missing or not converged */
  unconverged: number;
  accessLogDuplicated: number;
  accessLogMissing: number;
  idempotencyRowsDuplicated: number;
  idempotencyNotCompleted: number;
  outboxRowsDuplicated: number;
  outboxRowsMissing: number;
  outboxWrongDay: number;
  unpublishedOutbox: number;
  /** rollup-day jobs neither completed nor failed (still waiting, active or gone) */
  jobsNotCompleted: number;
  /** rollup-day jobs BullMQ failed (e.g. stalled more than maxStalledCount) */
  jobsFailed: number;
  /** failed jobs whose effect the reconciler (the minute fold) has not re-driven: their day's cells differ */
  failedJobsUnredriven: number;
  rollupCellsOver: number;
  rollupCellsUnder: number;
  rollupCellsChecked: number;
  /** job runs seen (active events), jobs that ran more than once, stalls, failed attempts */
  jobRuns: number;
  jobsRerun: number;
  stalls: number;
  failedAttempts: number;
  reports: number;
}

const jobId = (outboxId: string) => `outbox-${outboxId}`;

export function checkEffects(
  history: HistoryEntry[],
  state: EffectState,
  /** job states read from the queue for jobs the event log shows no completion for */
  jobStates: Map<string, string> = new Map(),
): EffectCounts & { timeToEffectMs: number[] } {
  const base = checkReports(history, {
    reports: state.reports.map((r) => ({ id: r.id, key: r.key })),
    unpublishedOutbox: 0,
    rollupCells: [],
  });
  let accessLogDuplicated = 0;
  let accessLogMissing = 0;
  for (const r of state.reports) {
    const n = state.collectRows.get(r.id) ?? 0;
    accessLogDuplicated += Math.max(0, n - 1);
    accessLogMissing += n === 0 ? 1 : 0;
  }
  let idempotencyRowsDuplicated = 0;
  let idempotencyNotCompleted = 0;
  for (const r of state.reports) {
    const k = r.key ? state.idempotency.get(r.key) : undefined;
    idempotencyRowsDuplicated += Math.max(0, (k?.rows ?? 0) - 1);
    idempotencyNotCompleted += (k?.completed ?? 0) === 1 ? 0 : 1;
  }
  const outboxByKey = new Map<string, EffectState['outbox']>();
  for (const o of state.outbox) {
    (outboxByKey.get(o.requestId) ?? outboxByKey.set(o.requestId, []).get(o.requestId)!).push(o);
  }
  const completedAt = new Map<string, number>();
  const startedAt: { job: string; at: number }[] = [];
  const coalesced = new Set<string>();
  const runs = new Map<string, number>();
  let stalls = 0;
  let failedAttempts = 0;
  for (const h of history) {
    if (!h.key) {
      continue;
    }
    if (h.kind === 'job-completed' && !completedAt.has(h.key)) {
      completedAt.set(h.key, h.invokeAt);
    } else if (h.kind === 'job-active') {
      runs.set(h.key, (runs.get(h.key) ?? 0) + 1);
      startedAt.push({ job: h.key, at: h.invokeAt });
    } else if (h.kind === 'job-deduplicated') {
      coalesced.add(h.key);
    } else if (h.kind === 'job-stalled') {
      stalls += 1;
    } else if (h.kind === 'job-failed') {
      failedAttempts += 1;
    }
  }
  let outboxRowsDuplicated = 0;
  let outboxRowsMissing = 0;
  let outboxWrongDay = 0;
  let jobsNotCompleted = 0;
  let jobsFailed = 0;
  let failedJobsUnredriven = 0;
  const timeToEffectMs: number[] = [];
  const unbalanced = new Set(state.cells.filter((c) => c.rollup !== c.raw).map((c) => c.cell));
  const converged = (r: EffectState['reports'][number]) =>
    !unbalanced.has(`stats_days/${r.partnershipId}/${r.day}`) &&
    !unbalanced.has(`stats_days.value_pence/${r.partnershipId}/${r.day}`) &&
    !unbalanced.has(`stats_store_days/${r.storeId}/${r.day}`) &&
    ![...unbalanced].some((c) => c.startsWith(`stats_store_days.types/${r.storeId}/${r.day}/`));
  startedAt.sort((a, b) => a.at - b.at);
  const partnershipOfJob = new Map(state.outbox.map((o) => [jobId(o.id), o.partnershipId]));
  /** the first job of the row's partnership to start after the row was published and complete */
  const coveringFold = (o: EffectState['outbox'][number]): number | undefined => {
    const covering = startedAt.find(
      (s) =>
        o.publishedAt !== null &&
        s.at >= o.publishedAt &&
        partnershipOfJob.get(s.job) === o.partnershipId &&
        completedAt.has(s.job),
    );
    return covering && completedAt.get(covering.job);
  };
  for (const r of state.reports) {
    const rows = (r.key && outboxByKey.get(r.key)) || [];
    outboxRowsDuplicated += Math.max(0, rows.length - 1);
    outboxRowsMissing += rows.length === 0 ? 1 : 0;
    outboxWrongDay += rows.filter((o) => o.day !== r.day).length;
    for (const o of rows) {
      const done = completedAt.get(jobId(o.id)) ?? (coalesced.has(jobId(o.id)) ? coveringFold(o) : undefined);
      if (done !== undefined) {
        timeToEffectMs.push(done - r.createdAt);
      } else if (jobStates.get(jobId(o.id)) === 'failed') {
        jobsFailed += 1;
        failedJobsUnredriven += converged(r) ? 0 : 1;
      } else if (jobStates.get(jobId(o.id)) !== 'completed') {
        jobsNotCompleted += 1;
      }
    }
  }
  const unpublishedOutbox = state.outbox.filter((o) => o.publishedAt === null).length;
  const rollupCellsOver = state.cells.filter((c) => c.rollup > c.raw).length;
  const rollupCellsUnder = state.cells.filter((c) => c.rollup < c.raw).length;
  return {
    acknowledged: base.acknowledged,
    lost: base.lost,
    duplicateReports: base.duplicateReports,
    replayMismatch: base.replayMismatch,
    keyForkedIds: base.keyForkedIds,
    duplicateEffects:
      accessLogDuplicated + idempotencyRowsDuplicated + outboxRowsDuplicated + rollupCellsOver,
    unconverged:
      accessLogMissing +
      idempotencyNotCompleted +
      outboxRowsMissing +
      outboxWrongDay +
      unpublishedOutbox +
      jobsNotCompleted +
      failedJobsUnredriven +
      rollupCellsUnder,
    accessLogDuplicated,
    accessLogMissing,
    idempotencyRowsDuplicated,
    idempotencyNotCompleted,
    outboxRowsDuplicated,
    outboxRowsMissing,
    outboxWrongDay,
    unpublishedOutbox,
    jobsNotCompleted,
    jobsFailed,
    failedJobsUnredriven,
    rollupCellsOver,
    rollupCellsUnder,
    rollupCellsChecked: state.cells.length,
    jobRuns: [...runs.values()].reduce((s, n) => s + n, 0),
    jobsRerun: [...runs.values()].filter((n) => n > 1).length,
    stalls,
    failedAttempts,
    reports: state.reports.length,
    timeToEffectMs,
  };
}

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;
const LONDON_DAY = `(i.occurred_at AT TIME ZONE 'Europe/London')::date`;
const COUNTED = `i.status IN ('submitted', 'reviewed', 'closed')`;

/** Reads the effect state of the given partnerships as the table owner (RLS does not hide rows). */
export async function readEffectState(query: Query, partnershipIds: string[]): Promise<EffectState> {
  const reports = (
    await query(
      `SELECT i.id, substring(i.narrative from 'ref:([A-Za-z0-9-]+)') AS key, ${LONDON_DAY}::text AS day,
              i.partnership_id, i.store_id,
              (extract(epoch FROM i.created_at) * 1000)::float8 AS created_ms
         FROM incidents i WHERE i.partnership_id = ANY($1::uuid[])`,
      [partnershipIds],
    )
  ).map((r) => ({
    id: String(r.id),
    key: (r.key as string | null) ?? null,
    partnershipId: String(r.partnership_id),
    storeId: String(r.store_id),
    day: String(r.day),
    createdAt: Number(r.created_ms),
  }));
  // as the hub's readers do: rows committed by a process that stopped before chaining them join first
  await query(`SELECT access_log_chain_pending(p) FROM unnest($1::uuid[]) AS p`, [partnershipIds]);
  const collectRows = new Map<string, number>(
    (
      await query(
        `SELECT object_id, count(*)::int AS n FROM access_log
          WHERE partnership_id = ANY($1::uuid[]) AND object_type = 'incident' AND action = 'collect' GROUP BY 1`,
        [partnershipIds],
      )
    ).map((r) => [String(r.object_id), Number(r.n)]),
  );
  const idempotency = new Map<string, { rows: number; completed: number }>(
    (
      await query(
        `SELECT key, count(*)::int AS rows, count(*) FILTER (WHERE state = 'completed')::int AS completed
           FROM idempotency_keys WHERE partnership_id = ANY($1::uuid[]) GROUP BY key`,
        [partnershipIds],
      )
    ).map((r) => [String(r.key), { rows: Number(r.rows), completed: Number(r.completed) }]),
  );
  const outbox = (
    await query(
      `SELECT id, partnership_id, payload->>'requestId' AS request_id, payload->>'day' AS day,
              (extract(epoch FROM published_at) * 1000)::float8 AS published_ms
         FROM outbox WHERE partnership_id = ANY($1::uuid[]) AND kind = 'job' AND name = 'rollup-day'`,
      [partnershipIds],
    )
  ).map((r) => ({
    id: String(r.id),
    partnershipId: String(r.partnership_id),
    requestId: String(r.request_id),
    day: String(r.day),
    publishedAt: r.published_ms === null ? null : Number(r.published_ms),
  }));
  const cell = async (table: string, sql: string) =>
    (await query(sql, [partnershipIds])).map((r) => ({
      cell: `${table}/${r.cell}`,
      rollup: Number(r.rollup),
      raw: Number(r.raw),
    }));
  const cells = [
    ...(await cell(
      'stats_store_days.types',
      `WITH raw AS (
         SELECT i.partnership_id, i.store_id, ${LONDON_DAY} AS day, t.type, count(*)::int AS n
           FROM incidents i CROSS JOIN LATERAL unnest(i.types) AS t(type)
          WHERE i.partnership_id = ANY($1::uuid[]) AND ${COUNTED} GROUP BY 1, 2, 3, 4),
       roll AS (
         SELECT partnership_id, store_id, day, type::incident_type, count AS n FROM (${STORE_DAY_TYPE_COUNTS}) c
          WHERE partnership_id = ANY($1::uuid[]))
       SELECT concat_ws('/', coalesce(raw.store_id, roll.store_id), coalesce(raw.day, roll.day), coalesce(raw.type, roll.type)) AS cell,
              coalesce(roll.n, 0) AS rollup, coalesce(raw.n, 0) AS raw
         FROM raw FULL JOIN roll USING (partnership_id, store_id, day, type)`,
    )),
    ...(await cell(
      'stats_days',
      `WITH raw AS (
         SELECT i.partnership_id, ${LONDON_DAY} AS day, count(*)::int AS n FROM incidents i
          WHERE i.partnership_id = ANY($1::uuid[]) AND ${COUNTED} GROUP BY 1, 2),
       roll AS (
         SELECT partnership_id, day, sum(incidents)::int AS n FROM stats_days
          WHERE partnership_id = ANY($1::uuid[]) GROUP BY 1, 2)
       SELECT concat_ws('/', partnership_id, day) AS cell, coalesce(roll.n, 0) AS rollup, coalesce(raw.n, 0) AS raw
         FROM raw FULL JOIN roll USING (partnership_id, day)`,
    )),
    ...(await cell(
      'stats_days.value_pence',
      `WITH raw AS (
         SELECT i.partnership_id, ${LONDON_DAY} AS day, sum(i.value_pence)::bigint AS n FROM incidents i
          WHERE i.partnership_id = ANY($1::uuid[]) AND ${COUNTED} GROUP BY 1, 2),
       roll AS (
         SELECT partnership_id, day, sum(value_pence)::bigint AS n FROM stats_days
          WHERE partnership_id = ANY($1::uuid[]) GROUP BY 1, 2)
       SELECT concat_ws('/', partnership_id, day) AS cell, coalesce(roll.n, 0) AS rollup, coalesce(raw.n, 0) AS raw
         FROM raw FULL JOIN roll USING (partnership_id, day)`,
    )),
    ...(await cell(
      'stats_store_days',
      `WITH raw AS (
         SELECT i.partnership_id, i.store_id, ${LONDON_DAY} AS day, count(*)::int AS n FROM incidents i
          WHERE i.partnership_id = ANY($1::uuid[]) AND ${COUNTED} GROUP BY 1, 2, 3),
       roll AS (
         SELECT partnership_id, store_id, day, sum(incidents)::int AS n FROM stats_store_days
          WHERE partnership_id = ANY($1::uuid[]) GROUP BY 1, 2, 3)
       SELECT concat_ws('/', store_id, day) AS cell, coalesce(roll.n, 0) AS rollup, coalesce(raw.n, 0) AS raw
         FROM raw FULL JOIN roll USING (partnership_id, store_id, day)`,
    )),
    ...(await cell(
      'stats_months',
      `WITH raw AS (
         SELECT i.partnership_id, date_trunc('month', ${LONDON_DAY})::date AS month, count(*)::int AS n
           FROM incidents i WHERE i.partnership_id = ANY($1::uuid[]) AND ${COUNTED} GROUP BY 1, 2),
       roll AS (
         SELECT partnership_id, month, sum(incidents)::int AS n FROM stats_months
          WHERE partnership_id = ANY($1::uuid[]) GROUP BY 1, 2)
       SELECT concat_ws('/', partnership_id, month) AS cell, coalesce(roll.n, 0) AS rollup, coalesce(raw.n, 0) AS raw
         FROM raw FULL JOIN roll USING (partnership_id, month)`,
    )),
  ];
  return { reports, collectRows, idempotency, outbox, cells };
}

/** Percentile of a list (nearest rank); -1 when empty. */
export function percentile(values: number[], p: number): number {
  if (!values.length) {
    return -1;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

/** API latency of acknowledged attempts, from the history (client-side, through the proxy). */
export function apiLatencies(history: HistoryEntry[]): number[] {
  return history
    .filter((h) => h.kind === 'create-report' && h.outcome === 'ok' && h.completeAt)
    .map((h) => h.completeAt! - h.invokeAt);
}

export interface Sample {
  t: number;
  v: number;
}

export interface Growth {
  samples: number;
  /** median over the first window after warm-up, and over the last window */
  afterWarmup: number;
  atEnd: number;
  growth: number;
  /** least-squares slope after warm-up, per minute, as a share of afterWarmup */
  slopePerMinute: number;
  max: number;
  flagged: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * R6's growth oracle: drops the warm-up, then compares the median of the first tenth of what is
 * left (at least 3 samples) with the median of the last tenth. Flagged when the growth exceeds
 * `maxGrowth` (0.10: "RSS growth < 10% after warm-up"), or when too few samples remain to tell.
 */
export function checkGrowth(series: Sample[], warmupMs: number, maxGrowth = 0.1): Growth {
  const t0 = series.length ? series[0].t : 0;
  const after = series.filter((s) => s.t - t0 >= warmupMs);
  const w = Math.max(3, Math.floor(after.length / 10));
  const afterWarmup = median(after.slice(0, w).map((s) => s.v));
  const atEnd = median(after.slice(-w).map((s) => s.v));
  const n = after.length;
  let slope = 0;
  if (n > 1) {
    const mt = after.reduce((a, s) => a + s.t, 0) / n;
    const mv = after.reduce((a, s) => a + s.v, 0) / n;
    const num = after.reduce((a, s) => a + (s.t - mt) * (s.v - mv), 0);
    const den = after.reduce((a, s) => a + (s.t - mt) ** 2, 0);
    slope = den ? num / den : 0;
  }
  const growth = (atEnd - afterWarmup) / afterWarmup;
  return {
    samples: n,
    afterWarmup: Math.round(afterWarmup),
    atEnd: Math.round(atEnd),
    growth: Math.round(growth * 10_000) / 10_000,
    slopePerMinute: Math.round(((slope * 60_000) / afterWarmup) * 100_000) / 100_000,
    max: Math.max(...after.map((s) => s.v)),
    flagged: n < 2 * w || !(growth < maxGrowth),
  };
}
