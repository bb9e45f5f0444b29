// J1: addBulk (50 a batch) vs add() awaited in a loop, jobs/s of enqueueing alone.
// J2: BullMQ no-op worker, concurrency 50 vs 1 (jobs/s). J3: ~10 ms jobs through BullMQ (c=50)
// vs B-fn (the same function called in process, 50 at a time); then add→completed overhead at
// 50% of the measured BullMQ rate. One child process; A B A B after a warm-up.
import { fmt, pct, startServer, yesNo } from '../lib/harness.mjs';
import { ask, nextMessage } from '../lib/proc.mjs';
import { median, round, spread } from '../lib/stats.mjs';

export const IDS = ['J1', 'J2', 'J3'];

/** Warm-up, then `pairs` interleaved A/B runs; medians of jobs/s and of the per-pair ratio. */
async function interleaved(go, pairs, warm, a, b) {
  for (const m of warm) {
    await go(m);
  }
  const base = [];
  const cand = [];
  for (let i = 0; i < pairs; i++) {
    base.push(await go(a));
    cand.push(await go(b));
  }
  const rate = (r) => r.jobsPerSecond;
  return {
    base,
    cand,
    b: median(base.map(rate)),
    c: median(cand.map(rate)),
    ratio: round(median(cand.map((r, i) => rate(r) / rate(base[i]))), 3),
    spreadPct: round((spread(cand.map(rate))?.relative ?? 0) * 100, 0),
  };
}

export async function run(ctx) {
  const { cfg } = ctx;
  const child = await startServer(ctx, 'queue', 'scenarios/queue-child.mjs', { REDIS_URL: ctx.urls.REDIS_URL }, { ipc: true });
  await nextMessage(child, 'ready', 30_000);
  const go = (m, t = 120_000) => ask(child, m, 'done', t);
  const out = [];
  if (ctx.only.includes('J1')) {
    const jobs = cfg.jobs.enqueue;
    const { base, cand, b, c, ratio, spreadPct } = await interleaved(
      go,
      ctx.pairs,
      [
        { type: 'enqueue', mode: 'single', jobs: 200 },
        { type: 'enqueue', mode: 'bulk', jobs: 200 },
      ],
      { type: 'enqueue', mode: 'single', jobs },
      { type: 'enqueue', mode: 'bulk', jobs },
    );
    out.push({
      id: 'J1',
      baselineText: `add() loop ${fmt(b, ' jobs/s', 0)}`,
      measuredText: `addBulk(50) ${fmt(c, ' jobs/s', 0)} (spread ${spreadPct}%)`,
      ratioText: `${fmt(ratio, '×', 2)}`,
      met: yesNo(ratio >= 5),
      ratio,
      reps: { base, cand },
      note: `${jobs} jobs per side, no worker running; each add() awaited before the next (what the outbox relay does per row today)`,
    });
  }
  if (ctx.only.includes('J2')) {
    const jobs = cfg.jobs.noop;
    const c1Jobs = Math.max(200, Math.round(jobs / 5));
    const { base, cand, b, c, ratio, spreadPct } = await interleaved(
      go,
      ctx.pairs,
      [
        { type: 'noop', concurrency: 1, jobs: 200 },
        { type: 'noop', concurrency: 50, jobs: 500 },
      ],
      { type: 'noop', concurrency: 1, jobs: c1Jobs },
      { type: 'noop', concurrency: 50, jobs },
    );
    out.push({
      id: 'J2',
      baselineText: `c=1 ${fmt(b, ' jobs/s', 0)}`,
      measuredText: `c=50 ${fmt(c, ' jobs/s', 0)} (spread ${spreadPct}%)`,
      ratioText: `${fmt(ratio, '×', 2)}`,
      met: yesNo(c >= 3000 && ratio >= 2),
      ratio,
      reps: { base, cand },
      note: `${jobs} no-op jobs added with addBulk, then drained by one Worker; jobs/s from worker start to last completion (Redis shared with everything else on this host)`,
    });
  }
  if (ctx.only.includes('J3')) {
    const jobs = cfg.jobs.fnJobs;
    const { base, cand, b, c, ratio } = await interleaved(
      go,
      ctx.pairs,
      [
        { type: 'fn', mode: 'direct', jobs: 100, concurrency: 50 },
        { type: 'fn', mode: 'bull', jobs: 100, concurrency: 50 },
      ],
      { type: 'fn', mode: 'direct', jobs, concurrency: 50 },
      { type: 'fn', mode: 'bull', jobs, concurrency: 50 },
    );
    const rate = Math.max(5, Math.floor(c * 0.5));
    const lat = await go({ type: 'latency', rate, seconds: cfg.jobs.latencyS }, (cfg.jobs.latencyS + 40) * 1000);
    const met = ratio >= 0.8 && lat.overhead.p50 <= 5 && lat.overhead.p99 <= 25 && lat.completed === lat.added;
    out.push({
      id: 'J3',
      baselineText: `B-fn ${fmt(b, ' jobs/s', 0)}`,
      measuredText: `BullMQ ${fmt(c, ' jobs/s', 0)}; at ${rate}/s add→completed overhead p50 ${fmt(lat.overhead.p50, ' ms', 2)}, p99 ${fmt(lat.overhead.p99, ' ms', 2)}`,
      ratioText: pct(ratio),
      met: yesNo(met),
      ratio,
      reps: { base, cand, latency: lat },
      note: `job = 9 ms timer + JSON work (~10 ms), concurrency 50 both sides, ${jobs} jobs per side; overhead = add→completed minus the job's own time; ${lat.completed}/${lat.added} completed. The real rollup job is not used: it needs the dataset of issue 7`,
    });
  }
  return out;
}
