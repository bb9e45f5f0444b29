/*
 * Q3/Q4 subject, run through ts-node (bench/scenarios/queries.mjs forks it): the synthetic
 * generator of libs/synthetic (COPY loader), the rollups of IncidentRollupRepository and the
 * stats reads of StatsRepository, against the bench database.
 *
 * Dataset: `count` incidents over 10 partnerships x 200 stores (2,000 shops), three years, built
 * once per (seed, count, SYNTHETIC_VERSION) in one transaction and recorded under .data/bench/datasets/.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions, SystemDb, TenantDb } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { DEFAULT_SERIAL_SETTINGS, SerialOffenderRepository } from '@app/offenders';
import { IncidentRollupRepository, StatsRepository } from '@app/stats';
import {
  copyIncidents,
  createOffenderSubjects,
  createSyntheticWorld,
  generateIncidents,
  INCIDENT_COPY_COLUMNS,
  incidentValues,
  SYNTHETIC_VERSION,
  type SyntheticWorld,
} from '@app/synthetic';

interface Msg {
  type: string;
  /** when the dataset of `count` is not cached, use this size instead of generating it now */
  fallbackCount?: number;
  prepareOnly?: boolean;
  seed: number;
  count: number;
  reps: number;
  reporterId: string;
  foldCount: number;
  /** D4: rows imported one per INSERT transaction, by 500-row INSERTs and by COPY */
  importRows: { single: number; multi: number; copy: number };
}

const FROM = '2023-01-01';
const DAYS = 3 * 365;
const PARTNERSHIPS = 10;
const STORES = 200;

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const T0 = nowMs();
const trace = (m: string): void => {
  process.stderr.write(`[queries ${Math.round(nowMs() - T0)} ms] ${m}\n`);
};
const send = (m: Record<string, unknown>): Promise<void> =>
  new Promise((r) => (process.send ? process.send(m, undefined, {}, () => r()) : r()));

function pctl(xs: number[], p: number): number {
  const v = [...xs].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

async function dataset(
  owner: Client,
  m: Msg,
): Promise<{ world: SyntheticWorld; info: Record<string, unknown> }> {
  const dir = join(process.env.BENCH_ROOT ?? '.', '.data', 'bench', 'datasets');
  const key = `incidents-v${SYNTHETIC_VERSION}-seed${m.seed}-n${m.count}`;
  const marker = join(dir, `${key}.json`);
  // Each size is a world of its own, and one seed serves every size, so two sizes' reports share
  // ids: before a size is generated, every world of the seed (another size's, or this size's left
  // by an interrupted run with no marker) is removed with its marker. One dataset at a time.
  const slugPrefix = `synthetic-${m.seed}-n${m.count}`;
  if (!existsSync(marker)) {
    const { rows } = await owner.query(`SELECT slug FROM partnerships WHERE starts_with(slug, $1)`, [
      `synthetic-${m.seed}-n`,
    ]);
    for (const { slug } of rows as { slug: string }[]) {
      await dropWorld(owner, slug);
    }
    if (rows.length) {
      // the dropped world's dead rows (and an interrupted load's) slowed every foreign-key check
      // of the next load: a 10M load stalled in them until the tables were vacuumed
      await owner.query('VACUUM (ANALYZE) incidents, subjects, subject_incidents');
    }
    const sameSeed = `incidents-v${SYNTHETIC_VERSION}-seed${m.seed}-n`;
    for (const f of existsSync(dir) ? readdirSync(dir) : []) {
      if (f.startsWith(sameSeed)) {
        rmSync(join(dir, f));
      }
    }
  }
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as {
      world: SyntheticWorld;
      info: Record<string, unknown>;
      rollups?: boolean;
    };
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n FROM partnerships WHERE id = ANY($1::uuid[])`,
      [saved.world.partnerships.map((p) => p.id)],
    );
    if (rows[0].n === saved.world.partnerships.length) {
      // loaded; `rollups` false means a run stopped before the rebuild, which main() redoes
      return { world: saved.world, info: { ...saved.info, cached: saved.rollups === true, marker } };
    }
  }
  const t0 = nowMs();
  await owner.query('BEGIN');
  // No statistics deltas for the load: main() rebuilds the rollups from the reports next. Queued
  // per row until the end of the COPY, they stalled the 10M load at about 1,000 rows a second.
  await owner.query('ALTER TABLE incidents DISABLE TRIGGER incidents_stats_pending');
  const world = await createSyntheticWorld(owner, m.seed, PARTNERSHIPS, STORES, m.reporterId, slugPrefix);
  const truth = await copyIncidents(owner, world, { seed: m.seed, count: m.count, from: FROM, days: DAYS });
  await owner.query('ALTER TABLE incidents ENABLE TRIGGER incidents_stats_pending');
  await owner.query('COMMIT');
  const loadMs = nowMs() - t0;
  await owner.query('ANALYZE incidents');
  const info = {
    key,
    seed: m.seed,
    count: m.count,
    version: SYNTHETIC_VERSION,
    checksum: truth.checksum,
    serialOffenders: truth.serialOffenders.length,
    loadSeconds: Math.round(loadMs / 100) / 10,
  };
  // The load is the long part: marked at once, so a failure later never repeats it.
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, JSON.stringify({ world, info, rollups: false }));
  return { world, info: { ...info, cached: false, marker } };
}

/**
 * Q1/Q2: serial-offender detection (SerialOffenderRepository.detect, the query the worker runs)
 * over one partnership of the dataset. The generator puts offender ids on incidents; here each
 * becomes an ID-sought subject and each of its incidents a confirmed link (subject_incidents), as a
 * coordinator would confirm them. Kept with the cached dataset.
 */
async function detection(
  owner: Client,
  ds: DataSource,
  pid: string,
  m: Msg,
): Promise<Record<string, unknown>> {
  const { rows: have } = await owner.query(
    `SELECT count(*)::int AS n FROM subject_incidents WHERE partnership_id = $1`,
    [pid],
  );
  if (have[0].n === 0) {
    await owner.query('BEGIN');
    try {
      await owner.query(
        `INSERT INTO subjects (id, partnership_id, kind, reference, description, created_by)
       SELECT DISTINCT offender_id, partnership_id, 'id_sought'::subject_kind, 'SYN-' || left(offender_id::text, 8), '{}'::jsonb, $2::uuid
         FROM incidents WHERE partnership_id = $1 AND offender_id IS NOT NULL
       ON CONFLICT DO NOTHING`,
        [pid, m.reporterId],
      );
      await owner.query(
        `INSERT INTO subject_incidents (partnership_id, subject_id, incident_id, linked_by, occurred_at, store_id, value_pence, theft_shop, counted)
       SELECT partnership_id, offender_id, id, $2::uuid, occurred_at, store_id, value_pence, 'theft_shop' = ANY(types), status <> 'draft'
         FROM incidents WHERE partnership_id = $1 AND offender_id IS NOT NULL`,
        [pid, m.reporterId],
      );
    } catch (err) {
      await owner.query('ROLLBACK');
      throw err;
    }
    await owner.query('COMMIT');
    await owner.query('ANALYZE subjects');
    // as autovacuum leaves a table at rest: statistics and the visibility map (index-only scans)
    await owner.query('VACUUM ANALYZE subject_incidents');
  }
  const { rows: sizes } = await owner.query(
    `SELECT (SELECT count(*)::int FROM incidents WHERE partnership_id = $1) AS incidents,
            (SELECT count(*)::int FROM subject_incidents WHERE partnership_id = $1) AS links,
            (SELECT count(*)::int FROM subjects WHERE partnership_id = $1) AS subjects`,
    [pid],
  );
  const system = new SystemDb(ds);
  const repo = new SerialOffenderRepository(new TenantDb(ds), system);
  const s = DEFAULT_SERIAL_SETTINGS;
  // B-scan as quality.md defines it: a sequential count of the reports the detection stands on
  // (it used to count the link table, a fraction of the rows)
  const scan = `SELECT count(*) FROM incidents`;
  await owner.query(scan);
  let found = (await system.run((em) => repo.detect(em, pid, s))).length;
  const fullMs: number[] = [];
  const scanMs: number[] = [];
  for (let i = 0; i < m.reps; i++) {
    let t = nowMs();
    await owner.query(scan);
    scanMs.push(nowMs() - t);
    t = nowMs();
    found = (await system.run((em) => repo.detect(em, pid, s))).length;
    fullMs.push(nowMs() - t);
  }
  // Q2: the per-incident check, one subject at a time (its range of subject_incidents_candidates_idx)
  const { rows: subjects } = await owner.query(
    `SELECT id FROM subjects WHERE partnership_id = $1 ORDER BY md5(id::text || $2) LIMIT 200`,
    [pid, String(m.seed)],
  );
  const oneMs: number[] = [];
  for (const { id } of subjects as { id: string }[]) {
    const t = nowMs();
    await system.run((em) => repo.detect(em, pid, s, id));
    oneMs.push(nowMs() - t);
  }
  return {
    ...sizes[0],
    flagged: found,
    fullMs,
    scanMs,
    fullP50: pctl(fullMs, 50),
    scanP50: pctl(scanMs, 50),
    oneP50: pctl(oneMs, 50),
    oneP95: pctl(oneMs, 95),
    checks: oneMs.length,
  };
}

/** Removes a throwaway synthetic partnership with its reports and rollups (as the owner). */
async function dropWorld(owner: Client, slug: string): Promise<void> {
  const { rows } = await owner.query(`SELECT id FROM partnerships WHERE slug = $1`, [slug]);
  if (!rows.length) {
    return;
  }
  const id = rows[0].id as string;
  for (const t of [
    'subject_incidents',
    'incidents',
    'subjects',
    'stats_days',
    'stats_months',
    'stats_month_dims',
    'stats_store_days',
    'stats_pending',
    'outbox',
    'stores',
    'member_businesses',
  ]) {
    await owner.query(`DELETE FROM ${t} WHERE partnership_id = $1`, [id]).catch(() => undefined);
  }
  await owner.query(`DELETE FROM partnerships WHERE id = $1`, [id]);
}

/**
 * D4: a bulk import into the real incidents table (its indexes, foreign keys and statistics
 * trigger) of a throwaway partnership, three ways, each statement its own transaction: one row per
 * INSERT, 500-row INSERTs, and COPY (copyIncidents, the loader the datasets use, its offender
 * subjects included). Rows per second of each.
 */
async function bulkImport(owner: Client, m: Msg): Promise<Record<string, unknown>> {
  const seed = m.seed + 2;
  const slug = `synthetic-${seed}-0`;
  await dropWorld(owner, slug);
  const world = await createSyntheticWorld(owner, seed, 1, STORES, m.reporterId);
  const options = (k: number, count: number) => ({ seed: seed * 10 + k, count, from: '2025-11-01', days: 30 });
  const columns = INCIDENT_COPY_COLUMNS.split(', ').length;
  const insert = (rows: number) =>
    `INSERT INTO incidents (${INCIDENT_COPY_COLUMNS}) VALUES ${Array.from(
      { length: rows },
      (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`,
    ).join(', ')}`;
  const timed = async (work: () => Promise<void>): Promise<number> => {
    const t = nowMs();
    await work();
    return nowMs() - t;
  };
  try {
    const single = options(1, m.importRows.single);
    await createOffenderSubjects(owner, world, single);
    const one = { name: 'd4-one-row', text: insert(1) };
    const singleMs = await timed(async () => {
      for (const i of generateIncidents(world, single)) {
        await owner.query({ ...one, values: incidentValues(i, m.reporterId) });
      }
    });
    const multi = options(2, m.importRows.multi);
    await createOffenderSubjects(owner, world, multi);
    const batch = { name: 'd4-500-rows', text: insert(500) };
    const multiMs = await timed(async () => {
      let values: unknown[] = [];
      for (const i of generateIncidents(world, multi)) {
        values.push(...incidentValues(i, m.reporterId));
        if (values.length === 500 * columns) {
          await owner.query({ ...batch, values });
          values = [];
        }
      }
      if (values.length) {
        await owner.query(insert(values.length / columns), values);
      }
    });
    const copyMs = await timed(async () => {
      await copyIncidents(owner, world, options(3, m.importRows.copy));
    });
    const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);
    return {
      rows: m.importRows,
      ms: { single: Math.round(singleMs), multi: Math.round(multiMs), copy: Math.round(copyMs) },
      rowsPerSecond: {
        single: rate(m.importRows.single, singleMs),
        multi: rate(m.importRows.multi, multiMs),
        copy: rate(m.importRows.copy, copyMs),
      },
    };
  } finally {
    await dropWorld(owner, slug).catch((e: unknown) => trace(`cleanup failed: ${String(e)}`));
  }
}

async function main(m: Msg): Promise<Record<string, unknown>> {
  const config = AppConfig.fromProcess();
  const owner = new Client({ connectionString: config.db.migrationUrl });
  await owner.connect();
  const ds = new DataSource(dataSourceOptions(config, { entities: ALL_ENTITIES }));
  await ds.initialize();
  try {
    const key = (n: number): string =>
      join(
        process.env.BENCH_ROOT ?? '.',
        '.data',
        'bench',
        'datasets',
        `incidents-v${SYNTHETIC_VERSION}-seed${m.seed}-n${n}.json`,
      );
    if (m.fallbackCount && !existsSync(key(m.count))) {
      trace(`no cached dataset of ${m.count}; using ${m.fallbackCount}`);
      m = { ...m, count: m.fallbackCount };
    }
    const { world, info } = await dataset(owner, m);
    trace(`dataset ready: ${JSON.stringify(info)}`);
    const rollups = new IncidentRollupRepository(new TenantDb(ds), new SystemDb(ds));
    const stats = new StatsRepository(new TenantDb(ds), new SystemDb(ds));
    const ids = world.partnerships.map((p) => p.id);
    // Rollups for a freshly loaded dataset: one set-based rebuild (kept with the cached data); also
    // after an upgrade left changes pending.
    const tf = nowMs();
    const pending = (await owner.query('SELECT 1 FROM stats_pending LIMIT 1')).rowCount ?? 0;
    if (!info.cached || pending > 0) {
      await rollups.rebuild();
      await owner.query('ANALYZE');
      writeFileSync(
        String(info.marker),
        JSON.stringify({ world, info: { ...info, marker: undefined, cached: undefined }, rollups: true }),
      );
    }
    const initialFoldMs = nowMs() - tf;
    trace(`rollups ready in ${Math.round(initialFoldMs)} ms`);
    if (m.prepareOnly) {
      return { dataset: info, initialFoldMs: Math.round(initialFoldMs) };
    }

    // Q3: the national dashboard, every partnership, three years by month, from the rollups vs
    // the same figures from the raw table.
    const q = { partnershipIds: ids, from: FROM, to: '2025-12-31', grain: 'month' as const };
    const raw = `SELECT partnership_id, date_trunc('month', occurred_at AT TIME ZONE 'Europe/London')::date AS month,
                        count(*)::int AS incidents, sum(value_pence)::bigint AS value_pence
                   FROM incidents
                  WHERE partnership_id = ANY($1::uuid[]) AND status <> 'draft'
                    AND occurred_at >= $2::date AND occurred_at < ($3::date + 1)
                  GROUP BY 1, 2 ORDER BY 2, 1`;
    await stats.atoms(q);
    await owner.query(raw, [ids, q.from, q.to]);
    const rollupMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < m.reps; i++) {
      let t = nowMs();
      await owner.query(raw, [ids, q.from, q.to]);
      rawMs.push(nowMs() - t);
      for (let k = 0; k < 5; k++) {
        t = nowMs();
        await stats.atoms(q);
        rollupMs.push(nowMs() - t);
      }
    }

    trace('Q3 done');
    const q12 = await detection(owner, ds, ids[0], m).catch((e: unknown) => ({
      error: String((e as Error)?.message ?? e),
    }));
    trace(`Q1/Q2 done: ${JSON.stringify(q12).slice(0, 300)}`);
    // Q4: 10k new reports arrive at a partnership of 200 stores; the fold brings its rollups up to
    // date. A throwaway partnership, removed afterwards, so the cached dataset stays as generated.
    const q4Seed = m.seed + 1;
    await owner.query(
      `DELETE FROM incidents WHERE partnership_id IN (SELECT id FROM partnerships WHERE slug = $1)`,
      [`synthetic-${q4Seed}-0`],
    );
    await dropWorld(owner, `synthetic-${q4Seed}-0`);
    const q4World = await createSyntheticWorld(owner, q4Seed, 1, STORES, m.reporterId);
    const q4Id = q4World.partnerships[0].id;
    await rollups.fold(q4Id, 20_000);
    await copyIncidents(owner, q4World, { seed: q4Seed, count: m.foldCount, from: '2025-12-01', days: 30 });
    await owner.query('ANALYZE incidents');
    const t4 = nowMs();
    const folded = (await rollups.fold(q4Id, 20_000)).incidents;
    const foldMs = nowMs() - t4;
    trace(`Q4 fold ${Math.round(foldMs)} ms for ${folded}`);
    await dropWorld(owner, `synthetic-${q4Seed}-0`).catch((e: unknown) =>
      trace(`cleanup failed: ${String(e)}`),
    );
    const d4 = await bulkImport(owner, m).catch((e: unknown) => ({ error: String((e as Error)?.message ?? e) }));
    trace(`D4 done: ${JSON.stringify(d4)}`);
    return {
      d4,
      dataset: info,
      initialFoldMs: Math.round(initialFoldMs),
      q3: {
        rollupMs,
        rawMs,
        rollupP50: pctl(rollupMs, 50),
        rollupP95: pctl(rollupMs, 95),
        rawP50: pctl(rawMs, 50),
      },
      q4: { foldMs, folded, added: m.foldCount },
      q12,
    };
  } finally {
    await ds.destroy();
    await owner.end();
  }
}

process.on('message', (m: Msg) => {
  main(m)
    .then((r) => send({ type: 'done', ...r }))
    .catch((err: unknown) => send({ type: 'error', message: String((err as Error)?.stack ?? err) }));
});
void send({ type: 'ready' });
