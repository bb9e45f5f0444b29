// Q3: statistics over the synthetic dataset (10M incidents in full mode) from the rollups vs the
// same figures from the raw table. Q4: folding 10k new incidents into the rollups.
// Q1/Q2: serial-offender detection. D4: a bulk import into incidents, COPY against INSERTs.
// The work runs in queries-child.ts through ts-node, using libs/synthetic and libs/database.
import { fmt, pct, yesNo } from '../lib/harness.mjs';
import { ask, nextMessage, startTsChild } from '../lib/proc.mjs';
import { round } from '../lib/stats.mjs';

export const IDS = ['Q1', 'Q2', 'Q3', 'Q4', 'D4'];

export async function run(ctx) {
  const out = [];
  if (!IDS.some((id) => ctx.only.includes(id))) {
    return out;
  }
  const child = startTsChild(ctx, 'queries', 'bench/scenarios/queries-child.ts');
  await nextMessage(child, 'ready', 120_000);
  const count = ctx.cfg.queries.statsIncidents;
  // One dataset seed for every size, so the generated rows depend on the master seed only.
  const seed = ctx.seedFor('dataset');
  const fallbackCount = ctx.prepare || ctx.quick ? undefined : ctx.cfg.queries.incidents;
  const r = await ask(
    child,
    {
      type: 'run',
      seed,
      count,
      fallbackCount,
      prepareOnly: !!ctx.prepare,
      reps: ctx.quick ? 2 : 5,
      reporterId: ctx.ids.actorId,
      foldCount: ctx.quick ? 2000 : 10_000,
      importRows: ctx.quick ? { single: 200, multi: 2000, copy: 10_000 } : { single: 2000, multi: 20_000, copy: 100_000 },
    },
    'done',
    4 * 3_600_000,
  );
  ctx.data.dataset = r.dataset;
  if (ctx.prepare) {
    ctx.say(`dataset ready: ${JSON.stringify(r.dataset)}`);
    return out;
  }
  const small = r.dataset.count !== count;
  const q3 = r.q3;
  const speedup = q3.rawP50 / q3.rollupP50;
  const sizeNote = ctx.quick
    ? ` (quick run: ${r.dataset.count.toLocaleString('en-GB')} incidents stand in for 10M)`
    : small
      ? ` (over ${r.dataset.count.toLocaleString('en-GB')} incidents: the ${count.toLocaleString('en-GB')}-incident dataset is not built yet; \`npm run bench -- --prepare\` builds and caches it once)`
      : '';
  if (ctx.only.includes('Q3')) {
    out.push({
      id: 'Q3',
      baselineText: `raw-table GROUP BY p50 ${fmt(q3.rawP50, ' ms', 1)}`,
      measuredText: `rollups p50 ${fmt(q3.rollupP50, '', 2)}, p95 ${fmt(q3.rollupP95, ' ms', 2)}`,
      ratioText: `${fmt(speedup, '× faster', 0)}`,
      met: small ? 'not measured' : yesNo(q3.rollupP95 < 20 && speedup >= 100),
      ratio: round(speedup, 1),
      figures: q3,
      note: `StatsRepository.atoms (stats_months) for all 10 partnerships, 3 years by month, vs the same counts and values from incidents; dataset ${r.dataset.key}${r.dataset.cached ? ' (cached)' : `, loaded by COPY in ${r.dataset.loadSeconds} s`}, checksum ${String(r.dataset.checksum).slice(0, 16)}…${sizeNote}`,
    });
  }
  const d = r.q12 ?? { error: 'no result' };
  const perPartnership = ` over one partnership of the dataset: ${Number(d.incidents ?? 0).toLocaleString('en-GB')} incidents, ${Number(d.links ?? 0).toLocaleString('en-GB')} confirmed links (generator offender ids turned into ID-sought subjects)`;
  const q1Size = ctx.quick || Number(d.incidents ?? 0) < 900_000;
  if (ctx.only.includes('Q1')) {
    if (d.error) {
      out.push({ id: 'Q1', met: 'not measured', note: `detection failed: ${d.error}` });
    } else {
      const ratio = d.fullP50 / d.scanP50;
      const met = d.fullP50 < 1500 && ratio <= 5;
      out.push({
        id: 'Q1',
        baselineText: `B-scan count(*) of incidents p50 ${fmt(d.scanP50, ' ms', 1)}`,
        measuredText: `full recompute p50 ${fmt(d.fullP50, ' ms', 1)}; ${d.flagged} subjects flagged`,
        ratioText: `${fmt(ratio, '×', 2)}`,
        met: q1Size && !ctx.quick ? 'not measured' : yesNo(met),
        ratio: round(ratio, 3),
        figures: d,
        note: `SerialOffenderRepository.detect (default rule: ≥ 3 thefts of 1p–£200 totalling over £200 in 90 days)${perPartnership}; B-scan is quality.md's: SELECT count(*) FROM incidents, every report of the dataset${q1Size && !ctx.quick ? '; below 1M incidents: run --prepare for the 10M dataset' : ''}${sizeNote}`,
      });
    }
  }
  if (ctx.only.includes('Q2')) {
    if (d.error) {
      out.push({ id: 'Q2', met: 'not measured', note: `detection failed: ${d.error}` });
    } else {
      out.push({
        id: 'Q2',
        baselineText: 'absolute',
        measuredText: `one subject's check p50 ${fmt(d.oneP50, '', 2)}, p95 ${fmt(d.oneP95, ' ms', 2)} (${d.checks} subjects)`,
        ratioText: '—',
        met: yesNo(d.oneP95 < 5),
        figures: { oneP50: d.oneP50, oneP95: d.oneP95 },
        note: `detect() for one subject (what the aggregation job runs per linked incident), in its own transaction from the app's pool${perPartnership}${sizeNote}`,
      });
    }
  }
  if (ctx.only.includes('Q4')) {
    const per10k = (r.q4.foldMs * 10_000) / Math.max(1, r.q4.added);
    // measured by write.mjs (the POST's rate with the worker folding vs stopped)
    const cost = ctx.data.foldCost;
    const costText = cost
      ? `; the POST's rate with the worker folding ${pct(cost.ratio)} of its rate with the worker stopped (median of ${cost.running.length} pairs)`
      : '';
    // the worker's minute sweep (FoldRollups) may fold some of them between the COPY and the timed fold
    const raced = r.q4.folded !== r.q4.added;
    out.push({
      id: 'Q4',
      baselineText: 'absolute',
      measuredText: `${r.q4.folded.toLocaleString('en-GB')} new incidents folded in ${fmt(r.q4.foldMs, ' ms', 0)}${costText}`,
      ratioText: r.q4.added === 10_000 ? '—' : `≈${fmt(per10k, ' ms', 0)} per 10k`,
      met: raced
        ? 'not measured'
        : yesNo((r.q4.added === 10_000 ? r.q4.foldMs <= 250 : per10k <= 250) && (!cost || cost.ratio >= 0.9)),
      figures: { ...r.q4, foldCost: cost ?? null },
      note: raced
        ? `the worker's minute sweep folded ${(r.q4.added - r.q4.folded).toLocaleString('en-GB')} of the ${r.q4.added.toLocaleString('en-GB')} new reports between the COPY and the timed fold; run again`
        : `IncidentRollupRepository.fold of one throwaway partnership (200 stores) after a COPY of ${r.q4.added.toLocaleString('en-GB')} reports; ${cost ? `the "POST throughput drops ≤ 10%" half: D1's load, the worker running against the worker stopped (SIGSTOP), interleaved in alternating order; after each stopped side the worker first caught up on what it left (${cost.catchUpMs.map((ms) => fmt(ms / 1000, ' s', 1)).join(', ')})` : 'the "POST throughput drops ≤ 10% meanwhile" half is measured only when write.mjs runs in the same invocation'}${sizeNote}`,
    });
  }
  if (ctx.only.includes('D4')) {
    const d4 = r.d4;
    if (d4.error) {
      out.push({ id: 'D4', met: 'not measured', note: `bulk import failed: ${d4.error}` });
    } else {
      const { single, multi, copy } = d4.rowsPerSecond;
      out.push({
        id: 'D4',
        baselineText: `one row per INSERT ${fmt(single, ' rows/s', 0)}; 500-row INSERT ${fmt(multi, ' rows/s', 0)}`,
        measuredText: `COPY ${fmt(copy, ' rows/s', 0)}`,
        ratioText: `${fmt(copy / single, '×', 1)} one-row; ${fmt(copy / multi, '×', 2)} 500-row`,
        met: yesNo(copy >= 20 * single && copy >= 2 * multi),
        ratio: round(copy / single, 2),
        figures: d4,
        note: `into the real incidents table (indexes, foreign keys, the statistics trigger) of a throwaway partnership of 200 stores, each statement its own transaction: ${d4.rows.single.toLocaleString('en-GB')} rows one per INSERT, ${d4.rows.multi.toLocaleString('en-GB')} in 500-row INSERTs, ${d4.rows.copy.toLocaleString('en-GB')} by COPY (libs/synthetic's loader, its offender subjects included); the hub has no import endpoint yet, so this is the path one would take`,
      });
    }
  }
  return out;
}
