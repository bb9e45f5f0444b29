import { createHash } from 'node:crypto';
import { STORE_DAY_TYPE_COUNTS } from '@app/testing';
import type { HistoryEntry } from './programme';

/**
 * The separate checker (quality.md section 3, step 3): given a history read back from disk and the
 * database's state read once the system is quiet, count invariant violations. Pure functions over
 * plain data, so negative controls can feed them deliberately broken states.
 */
export interface ReportRow {
  id: string;
  /** the Idempotency-Key the test wrote into the narrative (`ref:<key>`) */
  key: string | null;
}

export interface ReportState {
  reports: ReportRow[];
  /** outbox rows of these reports still unpublished */
  unpublishedOutbox: number;
  /** per (store, day, type): rollup count and raw count */
  rollupCells: { cell: string; rollup: number; raw: number }[];
  /** access_log 'collect' rows per report id */
  collectRows?: Map<string, number>;
}

export interface ReportCounts {
  acknowledged: number;
  lost: number;
  duplicateReports: number;
  /** a key answered with two different bodies (replays must be byte-identical) */
  replayMismatch: number;
  /** same key answered with two different report ids */
  keyForkedIds: number;
  unpublishedOutbox: number;
  /** rollup cell above the raw count: an effect applied twice */
  duplicateEffects: number;
  /** rollup cell below the raw count: an effect missing */
  unconverged: number;
  /** reports whose access log has other than exactly one collect row */
  accessLogNotExactlyOnce: number;
}

export const bodyHash = (text: string) => createHash('sha256').update(text).digest('hex');

/** Exactly once per Idempotency-Key: acknowledged ids present, one row per key, replays identical. */
function checkKeyed(history: HistoryEntry[], kind: string, rows: ReportRow[]) {
  const ok = history.filter((h) => h.kind === kind && h.outcome === 'ok');
  const present = new Set(rows.map((r) => r.id));
  const ackedIds = new Set<string>();
  const idsByKey = new Map<string, Set<string>>();
  const bodiesByKey = new Map<string, Set<string>>();
  for (const h of ok) {
    const id = String(h.value?.id ?? '');
    ackedIds.add(id);
    if (h.key) {
      (idsByKey.get(h.key) ?? idsByKey.set(h.key, new Set()).get(h.key)!).add(id);
      if (h.value?.bodyHash) {
        (bodiesByKey.get(h.key) ?? bodiesByKey.set(h.key, new Set()).get(h.key)!).add(
          String(h.value.bodyHash),
        );
      }
    }
  }
  const rowsPerKey = new Map<string, number>();
  let keyless = 0;
  for (const r of rows) {
    if (r.key) {
      rowsPerKey.set(r.key, (rowsPerKey.get(r.key) ?? 0) + 1);
    } else {
      keyless += 1;
    }
  }
  return {
    acknowledged: ackedIds.size,
    lost: [...ackedIds].filter((id) => !present.has(id)).length,
    duplicates: keyless + [...rowsPerKey.values()].reduce((s, n) => s + (n - 1), 0),
    replayMismatch: [...bodiesByKey.values()].filter((s) => s.size > 1).length,
    keyForkedIds: [...idsByKey.values()].filter((s) => s.size > 1).length,
  };
}

export function checkReports(history: HistoryEntry[], state: ReportState): ReportCounts {
  const { duplicates, ...keyed } = checkKeyed(history, 'create-report', state.reports);
  let accessLogNotExactlyOnce = 0;
  if (state.collectRows) {
    for (const r of state.reports) {
      if ((state.collectRows.get(r.id) ?? 0) !== 1) {
        accessLogNotExactlyOnce += 1;
      }
    }
  }
  return {
    ...keyed,
    duplicateReports: duplicates,
    unpublishedOutbox: state.unpublishedOutbox,
    duplicateEffects: state.rollupCells.filter((c) => c.rollup > c.raw).length,
    unconverged: state.rollupCells.filter((c) => c.rollup < c.raw).length,
    accessLogNotExactlyOnce,
  };
}

export interface StatementCounts {
  statementsAcknowledged: number;
  statementsLost: number;
  duplicateStatements: number;
  statementReplayMismatch: number;
  statementKeyForkedIds: number;
}

/** The same oracle for witness statements ('create-statement' operations, keys in `ref:`). */
export function checkStatements(history: HistoryEntry[], statements: ReportRow[]): StatementCounts {
  const c = checkKeyed(history, 'create-statement', statements);
  return {
    statementsAcknowledged: c.acknowledged,
    statementsLost: c.lost,
    duplicateStatements: c.duplicates,
    statementReplayMismatch: c.replayMismatch,
    statementKeyForkedIds: c.keyForkedIds,
  };
}

/** Witness statements of one partnership, keyed by the `ref:<key>` the test wrote into the text. */
export async function readStatementRows(
  query: (sql: string, params?: unknown[]) => Promise<any[]>,
  partnershipId: string,
): Promise<ReportRow[]> {
  return (
    await query(
      `SELECT id, substring(statement_text from 'ref:([A-Za-z0-9-]+)') AS key
         FROM witness_statements WHERE partnership_id = $1`,
      [partnershipId],
    )
  ).map((r) => ({ id: r.id as string, key: (r.key as string | null) ?? null }));
}

/** Reads the report state of one partnership as the table owner (`query` runs SQL). */
export async function readReportState(
  query: (sql: string, params?: unknown[]) => Promise<any[]>,
  partnershipId: string,
): Promise<ReportState> {
  const reports = (
    await query(
      `SELECT id, substring(narrative from 'ref:([A-Za-z0-9-]+)') AS key FROM incidents WHERE partnership_id = $1`,
      [partnershipId],
    )
  ).map((r) => ({ id: r.id as string, key: (r.key as string | null) ?? null }));
  const [{ n }] = await query(
    `SELECT count(*)::int AS n FROM outbox WHERE partnership_id = $1 AND published_at IS NULL`,
    [partnershipId],
  );
  const rollupCells = (
    await query(
      `WITH raw AS (
         SELECT i.store_id, (i.occurred_at AT TIME ZONE 'Europe/London')::date AS day, t.type, count(*)::int AS n
           FROM incidents i CROSS JOIN LATERAL unnest(i.types) AS t(type)
          WHERE i.partnership_id = $1 AND i.status IN ('submitted', 'reviewed', 'closed')
          GROUP BY 1, 2, 3),
       roll AS (
         SELECT store_id, day, type::incident_type, count AS n FROM (${STORE_DAY_TYPE_COUNTS}) c
          WHERE partnership_id = $1)
       SELECT concat_ws('/', coalesce(raw.store_id, roll.store_id), coalesce(raw.day, roll.day), coalesce(raw.type, roll.type)) AS cell,
              coalesce(roll.n, 0) AS rollup, coalesce(raw.n, 0) AS raw
         FROM raw FULL JOIN roll ON raw.store_id = roll.store_id AND raw.day = roll.day AND raw.type = roll.type`,
      [partnershipId],
    )
  ).map((r) => ({ cell: String(r.cell), rollup: Number(r.rollup), raw: Number(r.raw) }));
  // as the hub's readers do: rows committed by a process that stopped before chaining them join first
  await query(`SELECT access_log_chain_pending($1)`, [partnershipId]);
  const collectRows = new Map<string, number>(
    (
      await query(
        `SELECT object_id, count(*)::int AS n FROM access_log
          WHERE partnership_id = $1 AND object_type = 'incident' AND action = 'collect' GROUP BY 1`,
        [partnershipId],
      )
    ).map((r) => [String(r.object_id), Number(r.n)]),
  );
  return { reports, unpublishedOutbox: Number(n), rollupCells, collectRows };
}

/** The alert oracle (R2/R3): per client, the alert ids shown after dedupe versus those committed. */
export interface AlertCounts {
  clients: number;
  committed: number;
  missing: number;
  uiDuplicates: number;
  rawDuplicates: number;
}

export function checkAlerts(
  committed: { id: string; seq: number }[],
  shownPerClient: Map<string, { id: string; seq: number }[]>,
  sinceSeq = 0,
): AlertCounts {
  const want = committed.filter((a) => a.seq > sinceSeq);
  let missing = 0;
  let uiDuplicates = 0;
  let rawDuplicates = 0;
  for (const shown of shownPerClient.values()) {
    const ids = shown.map((s) => s.id);
    const set = new Set(ids);
    uiDuplicates += ids.length - set.size;
    rawDuplicates += ids.length - set.size;
    missing += want.filter((a) => !set.has(a.id)).length;
  }
  return { clients: shownPerClient.size, committed: want.length, missing, uiDuplicates, rawDuplicates };
}
