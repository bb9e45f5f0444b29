// Every run measures the same database: the cached dataset and the demo seed, without what
// earlier runs filed. The measured traffic (D1, D3, J5, Q4's second half, C1) files its reports
// into the seed's demo partnerships; kept, they grew the reports table run after run (2.97M of
// them beside the 10M dataset by 2026-12-07) and every figure that reads the table with it.

import pg from 'pg';

const DEMO = `SELECT id, created_at + interval '10 minutes' AS cutoff FROM partnerships WHERE slug IN ('riverside', 'northgate')`;

/** Rows of `table` a bench run wrote into a demo partnership (the seed wrote its own in its first minutes). */
const filed = (table, time = 'created_at') =>
  `DELETE FROM ${table} t USING (${DEMO}) d WHERE t.partnership_id = d.id AND t.${time} > d.cutoff`;

/**
 * Deletes the reports, Idempotency-Keys, access-log and outbox rows that earlier runs filed into
 * the demo partnerships (a report something else still refers to stays), requeues the demo
 * partnerships' statistics from the reports left, and vacuums. As the tables' owner, in one
 * transaction; the access log's append-only trigger is off only inside it.
 */
export async function clearEarlierRuns(url, say) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // a report another row refers to (an exhibit, a statement, a link) is kept with its referrer
    const referrers = (
      await c.query(
        `SELECT conrelid::regclass::text AS tbl, a.attname AS col
           FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
          WHERE k.contype = 'f' AND k.confrelid = 'incidents'::regclass`,
      )
    ).rows;
    const unreferenced = referrers.map(
      (r) => `NOT EXISTS (SELECT 1 FROM ${r.tbl} x WHERE x.${r.col} = t.id)`,
    );
    await c.query('BEGIN');
    const removed = {};
    removed.incidents = (
      await c.query(`${filed('incidents')} ${unreferenced.map((u) => `AND ${u}`).join(' ')}`)
    ).rowCount;
    removed.idempotency_keys = (await c.query(filed('idempotency_keys'))).rowCount;
    removed.outbox = (await c.query(filed('outbox'))).rowCount;
    await c.query('ALTER TABLE access_log DISABLE TRIGGER access_log_immutable');
    // the chain's later rows go with them: what is left is the seed's prefix, which still verifies
    removed.access_log = (await c.query(filed('access_log'))).rowCount;
    await c.query('ALTER TABLE access_log ENABLE TRIGGER access_log_immutable');
    // the demo partnerships' rollups, refolded from the reports left (as the FoldStatisticsDeltas migration does)
    for (const table of [
      'stats_pending',
      'stats_days',
      'stats_months',
      'stats_month_dims',
      'stats_store_days',
    ]) {
      await c.query(`DELETE FROM ${table} WHERE partnership_id IN (SELECT id FROM (${DEMO}) d)`);
    }
    await c.query(
      `INSERT INTO stats_pending (partnership_id, sign, store_id, occurred_at, types, triggers, weapon, injury,
                                  police_reported, police_attended, value_pence)
       SELECT partnership_id, 1, store_id, occurred_at, types, triggers, weapon, injury, police_reported,
              police_attended, value_pence
         FROM incidents WHERE partnership_id IN (SELECT id FROM (${DEMO}) d) AND status IN ('submitted', 'reviewed', 'closed')`,
    );
    await c.query('COMMIT');
    say(`cleared what earlier runs filed: ${JSON.stringify(removed)}`);
    if (Object.values(removed).some((n) => n > 0)) {
      await c.query('VACUUM (ANALYZE) incidents, idempotency_keys, outbox, access_log');
    }
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
}
