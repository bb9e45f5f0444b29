// D1: the api's full POST /api/v1/incidents (tablet-like bearer, Idempotency-Key per request,
//     validation, TypeORM insert, access log, outbox, durable commit) vs B-pg, 50 conns, -p 1.
// D2: B-pg vs B-pgbench (pgbench -M prepared, 16 clients, 2 threads) on the same table.
// D3: the full POST at 70% of its measured max rate, open-loop arrivals: absolute p95/p99; and at
//     10%, for the path's own latency beside the queueing.
// Q4's other half: the POST's rate with the worker folding, against the worker stopped.
// J5: D3's load (70% of the max) alone, and while evidence packs build back to back in the
//     product's builder (its own process, at a lower CPU priority): how much D3's p99 grows.
// Sequence per pair: B-pg, api, pgbench (interleaved after a warm-up of each).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { incidentBody } from '../lib/body.mjs';
import { caughtUp, workerSettler } from '../lib/settle.mjs';
import { fmt, GENERATOR_VOID_PCT, medianByKey, pct, runLoad, spreadText, startServer, summarizePairs, yesNo } from '../lib/harness.mjs';
import { cpuProfiler, profileDatabase, profileMarkdown, summariseCpu } from '../lib/profile.mjs';
import { ask, cpuSeconds, nextMessage, sleep, startTsChild, stop, waitHttp } from '../lib/proc.mjs';
import { median, round } from '../lib/stats.mjs';

export const IDS = ['D1', 'D2', 'D3', 'J5'];
const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';

export async function run(ctx) {
  const { cfg } = ctx;
  const port = ctx.ports.bpg;
  const body = JSON.stringify(incidentBody());
  const bpg = await startServer(
    ctx,
    'b-pg',
    'baselines/pg.mjs',
    { PORT: String(port), BENCH_PG_URL: ctx.urls.DATABASE_MIGRATION_URL, BENCH_IDS: JSON.stringify(ctx.ids) },
    {},
  );
  await waitHttp(`http://127.0.0.1:${port}/`, 30_000, bpg, { anyStatus: true });
  const spec = (url, headers, d, extra = {}) => ({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections: 50,
    duration: d,
    ...extra,
  });
  const A = (d) => runLoad(ctx, spec(`http://127.0.0.1:${port}/incidents`, {}, d), [bpg.pid]);
  const B = (d, extra) =>
    runLoad(
      ctx,
      { ...spec(`${ctx.apiUrl}/api/v1/incidents`, { authorization: `Bearer ${ctx.token}` }, d, extra), idempotency: true },
      [ctx.apps.api.pid, ctx.apps.worker.pid],
    );
  await A(cfg.warmupS);
  await B(cfg.warmupS);
  const base = [];
  const cand = [];
  const bench = [];
  const wantD2 = ctx.only.includes('D2');
  const walDb = new pg.Client({ connectionString: ctx.urls.DATABASE_MIGRATION_URL });
  await walDb.connect();
  const settler = await workerSettler(ctx, ctx.ids.partnershipId);
  const settleMs = [];
  try {
    for (let i = 0; i < ctx.pairs; i++) {
      base.push(await withWal(walDb, () => A(cfg.writeS)));
      settleMs.push(await settler.settle());
      cand.push(await withWal(walDb, () => B(cfg.writeS)));
      settleMs.push(await settler.settle());
      if (wantD2) {
        bench.push(await pgbench(ctx, cfg.pgbenchS));
        settleMs.push(await settler.settle());
      }
    }
  } finally {
    await walDb.end();
    await settler.close();
  }
  await stop(bpg);
  if (!ctx.requested || ctx.requested.includes('Q4')) {
    ctx.data.foldCost = await foldCost(ctx, () => B(cfg.writeS));
  }
  const profile = ctx.profile && ctx.only.includes('D1') ? await profiled(ctx, () => B(cfg.writeS)) : undefined;
  const out = [];
  const rps = summarizePairs(base, cand, (r) => r.okRps);
  const p = (k) => summarizePairs(base, cand, (r) => r.latency[k]);
  const p50 = p('p50');
  const p95 = p('p95');
  const p99 = p('p99');
  const failed = cand.map((r) => r.requests - r.ok);
  const genCpu = Math.max(...[...base, ...cand].map((r) => r.generatorCpuPct ?? 0));
  const perRequest = { base: perRequestMedians(base), cand: perRequestMedians(cand) };
  if (ctx.only.includes('D1')) {
    ctx.record({
      id: 'D1',
      baselineText: `B-pg ${fmt(rps.base.median, ' req/s', 0)}; p50/p95/p99 ${fmt(p50.base.median, '', 1)}/${fmt(p95.base.median, '', 1)}/${fmt(p99.base.median, ' ms', 1)}`,
      measuredText: `${fmt(rps.cand.median, ' req/s', 0)}${spreadText(rps.cand.spread)}; p50/p95/p99 ${fmt(p50.cand.median, '', 1)}/${fmt(p95.cand.median, '', 1)}/${fmt(p99.cand.median, ' ms', 1)}`,
      ratioText: `${pct(rps.ratio)} req/s; p99 ${fmt(p99.ratio, '×', 2)}`,
      met: yesNo(rps.ratio >= 0.5 && p99.ratio <= 2 && failed.every((f) => f === 0)),
      ratio: rps.ratio,
      figures: { rps, p50, p95, p99, perRequest, settleMs, apiNon2xx: failed, apiStatuses: cand.map((r) => r.statuses) },
      reps: { base, cand },
      profile,
      generatorCpuPct: genCpu,
      void: genCpu > GENERATOR_VOID_PCT,
      note: `50 conns -p 1, ${cfg.writeS} s per side, ${ctx.pairs} pair(s); B-pg connects as the table owner (no RLS, no auth); the api as a shopworker with a new Idempotency-Key per request; before each side the worker folds and relays what the side before left (${fmt(Math.min(...settleMs) / 1000, '', 1)}–${fmt(Math.max(...settleMs) / 1000, ' s', 1)}), so neither side is charged with the other's work${failed.some((f) => f) ? `; api non-2xx: ${failed.join('/')}` : ''}; stretch 65% ${rps.ratio >= 0.65 ? 'met' : 'not met'}; per answered request (medians of the pairs): ${perRequestText('B-pg', perRequest.base, 'its server')}, ${perRequestText('the api', perRequest.cand, 'api and worker')}`,
    });
  }
  if (wantD2) {
    const tps = bench.map((b) => b.tps);
    const bpgRps = base.map((r) => r.okRps);
    const ratios = bpgRps.map((x, i) => (tps[i] ? x / tps[i] : null));
    const ratio = round(median(ratios), 3);
    ctx.record({
      id: 'D2',
      baselineText: `B-pgbench ${fmt(median(tps), ' tps', 0)}`,
      measuredText: `B-pg ${fmt(median(bpgRps), ' req/s', 0)}`,
      ratioText: pct(ratio),
      met: bench.some((b) => b.error) ? 'no' : yesNo(ratio >= 0.4),
      ratio,
      reps: { base: bench, cand: bpgRps },
      note: `pgbench -n -M prepared -f bench/baselines/insert_incident.sql -c 16 -j 2 -T ${cfg.pgbenchS} (pgbench CPU ${fmt(median(bench.map((b) => b.cpuPct)), '%', 0)} of a core); B-pg at 50 conns from D1's baseline runs${bench.find((b) => b.error) ? `; pgbench error: ${bench.find((b) => b.error).error}` : ''}`,
    });
  }
  const rate = Math.max(1, Math.floor(0.7 * rps.cand.median));
  // the path's own latency, with hardly any queue: what 70% adds is queueing
  const lightRate = Math.max(1, Math.floor(0.1 * rps.cand.median));
  if (ctx.only.includes('D3')) {
    const r = await B(cfg.writeS, { rate, seed: ctx.seedFor('D3') });
    const light = await B(cfg.writeS, { rate: lightRate, seed: ctx.seedFor('D3-light') });
    const ok = r.latency.p95 <= 25 && r.latency.p99 <= 60;
    out.push({
      id: 'D3',
      baselineText: 'absolute',
      measuredText: `at ${rate} req/s (70% of ${fmt(rps.cand.median, '', 0)}): p95 ${fmt(r.latency.p95, ' ms', 1)}, p99 ${fmt(r.latency.p99, ' ms', 1)}; achieved ${fmt(r.okRps, ' req/s', 0)}; at ${lightRate} req/s (10%): p95 ${fmt(light.latency.p95, ' ms', 1)}, p99 ${fmt(light.latency.p99, ' ms', 1)}`,
      ratioText: '—',
      met: yesNo(ok && r.ok === r.requests),
      figures: { rate, latency: r.latency, light: { rate: lightRate, latency: light.latency } },
      reps: { cand: [r, light] },
      generatorCpuPct: r.generatorCpuPct,
      note: `open-loop Poisson arrivals at ${rate} req/s for ${cfg.writeS} s over at most 50 keep-alive connections, latency timed from each request's scheduled arrival (bench/lib/paced.mjs; autocannon's overallRate sent each connection's share of a second back to back at its start)`,
    });
  }
  if (ctx.only.includes('J5')) {
    out.push(await packsBeside(ctx, [rate, lightRate], (extra) => B(cfg.writeS, extra)));
  }
  return out;
}

/**
 * J5: pairs of D3's load (the same arrivals on both sides of a pair), alone and while packs of
 * `cfg.packs.small` exhibits build one after another for the whole run (bench/scenarios/packs-child.ts:
 * the compiled buildPackInChildProcess, as the worker runs it); at D3's 70% and, for the path's own
 * latency with hardly any queue, at 10% of the maximum.
 */
async function packsBeside(ctx, rates, load) {
  const child = startTsChild(ctx, 'packs-j5', 'bench/scenarios/packs-child.ts');
  const runs = rates.map((rate) => ({ rate, alone: [], beside: [] }));
  const packs = [];
  try {
    await nextMessage(child, 'ready', 120_000);
    // the same case each time (its exhibits written once, here, by the first build)
    const pack = { count: ctx.cfg.packs.small, size: ctx.cfg.packs.mb * 1048576, mode: 'pack', again: true };
    await ask(child, pack, 'done', 600_000);
    for (const run of runs) {
      for (let i = 0; i < ctx.pairs; i++) {
        const seed = ctx.seedFor(`J5-${run.rate}-${i}`);
        run.alone.push(await load({ rate: run.rate, seed }));
        let loading = true;
        const building = (async () => {
          do {
            packs.push(await ask(child, pack, 'done', 600_000));
          } while (loading);
        })();
        try {
          run.beside.push(await load({ rate: run.rate, seed }));
        } finally {
          loading = false;
          await building;
        }
      }
    }
  } finally {
    await stop(child);
  }
  const [main, light] = runs.map((run) => ({
    ...run,
    p99: summarizePairs(run.alone, run.beside, (r) => r.latency.p99),
    failed: [...run.alone, ...run.beside].some((r) => r.ok !== r.requests),
  }));
  const growth = (s) => `${s.ratio >= 1 ? '+' : ''}${pct(s.ratio - 1)}`;
  return {
    id: 'J5',
    baselineText: `D3 alone at ${main.rate} req/s (70%): p99 ${fmt(main.p99.base.median, ' ms', 1)}; at ${light.rate} req/s (10%): ${fmt(light.p99.base.median, ' ms', 1)}`,
    measuredText: `while packs build: p99 ${fmt(main.p99.cand.median, ' ms', 1)}${spreadText(main.p99.cand.spread)}; at 10%: ${fmt(light.p99.cand.median, ' ms', 1)}; ${packs.length} packs of ${ctx.cfg.packs.small}×${ctx.cfg.packs.mb} MB at ${fmt(median(packs.map((p) => p.mbPerS)), ' MB/s', 0)}`,
    ratioText: `p99 ${growth(main.p99)}; at 10%: ${growth(light.p99)}`,
    // at 70% D3's own p99 moves 2-4x between pairs, so the 10% pairs must hold the target too
    met: yesNo(main.p99.ratio <= 1.2 && light.p99.ratio <= 1.2 && !main.failed && !light.failed),
    ratio: main.p99.ratio,
    figures: { main: { rate: main.rate, p99: main.p99 }, light: { rate: light.rate, p99: light.p99 }, packs: packs.length, packMbs: median(packs.map((p) => p.mbPerS)) },
    reps: { main: { base: main.alone, cand: main.beside }, light: { base: light.alone, cand: light.beside } },
    note: `${ctx.pairs} interleaved pair(s) of ${ctx.cfg.writeS} s per rate with the same open-loop arrivals on both sides, met only when both rates hold the target; the builder runs as the worker runs it: its own process at nice 19 (every thread), writing with an fdatasync every MB, one at a time (PACK_BUILD_CONCURRENCY=1)${main.failed || light.failed ? '; some requests failed' : ''}`,
  };
}

/**
 * Q4's other half: the POST's rate while the worker folds the reports into the rollups, against
 * the same load with the worker stopped (SIGSTOP: no fold runs; its jobs wait and run after
 * SIGCONT). Interleaved pairs in alternating order; read by queries.mjs for the Q4 row. After
 * SIGCONT the worker first catches up on what the stopped side left (its folds and outbox
 * messages), so the running side is not charged with them.
 */
async function foldCost(ctx, load) {
  const pid = ctx.apps.worker.pid;
  const db = new pg.Client({ connectionString: ctx.urls.DATABASE_MIGRATION_URL });
  await db.connect();
  const running = [];
  const paused = [];
  const catchUpMs = [];
  try {
    const stopped = async () => {
      process.kill(pid, 'SIGSTOP');
      try {
        paused.push((await load()).okRps);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      catchUpMs.push(await caughtUp(db));
    };
    // ABAB would favour whichever side goes second while the rate drifts over the run (D1's own
    // pairs rose 279, 325, 367 req/s in one run): the order alternates, running first in even pairs
    for (let i = 0; i < ctx.pairs; i++) {
      if (i % 2 === 0) {
        running.push((await load()).okRps);
        await stopped();
      } else {
        await stopped();
        running.push((await load()).okRps);
      }
    }
  } finally {
    await db.end();
  }
  const ratios = running.map((r, i) => r / paused[i]);
  return { running, paused, catchUpMs, ratio: round(median(ratios), 3) };
}

/** A load run with what PostgreSQL wrote to its WAL meanwhile, per 2xx answer. */
async function withWal(db, load) {
  const wal = async () =>
    (await db.query('SELECT wal_records::float8 AS records, wal_fpi::float8 AS fpi, wal_bytes::float8 AS bytes FROM pg_stat_wal')).rows[0];
  const before = await wal();
  const result = await load();
  const after = await wal();
  const per = (k) => (result.ok ? round((after[k] - before[k]) / result.ok, 2) : null);
  return { ...result, walPerOk: { records: per('records'), fpi: per('fpi'), bytes: per('bytes') } };
}

function perRequestMedians(runs) {
  return { cpuMs: medianByKey(runs.map((r) => r.cpuMsPerOk)), wal: medianByKey(runs.map((r) => r.walPerOk)) };
}

function perRequestText(name, { cpuMs, wal }, servers) {
  return `${name} ${fmt(cpuMs.machine, ' ms', 2)} of the machine's CPU (${servers} ${fmt(cpuMs.servers, '', 2)}, the generator ${fmt(cpuMs.generator, '', 2)}, PostgreSQL, Redis and the kernel ${fmt(cpuMs.rest, '', 2)}) and ${fmt(wal.records, '', 1)} WAL records, ${fmt(wal.bytes / 1024, ' KB', 1)}`;
}

/** One more run of the full POST, profiled (--profile); the Markdown goes beside the run's logs. */
async function profiled(ctx, load) {
  const cpu = await cpuProfiler(ctx.profile.inspectPort);
  await cpu.start();
  const { result, profile: db } = await profileDatabase(
    ctx.urls.DATABASE_MIGRATION_URL,
    [ctx.apps.api.pid, ctx.apps.worker.pid],
    load,
  );
  const raw = await cpu.stop();
  // the whole profile too, for DevTools or a call-tree reading
  writeFileSync(join(ctx.logDir, 'api-D1.cpuprofile'), JSON.stringify(raw));
  const cpuSummary = summariseCpu(raw);
  const file = join(ctx.logDir, 'profile-D1.md');
  writeFileSync(
    file,
    `${profileMarkdown(`D1 profiled: ${ctx.profile.label}`, result.ok, {
      cpu: cpuSummary,
      db,
      processNames: { 'process 0': 'api', 'process 1': 'worker' },
    })}\n`,
  );
  ctx.say(`D1 profile: ${file}`);
  return { okRps: result.okRps, cpu: cpuSummary, db };
}

function pgbench(ctx, seconds) {
  return new Promise((resolve) => {
    const url = new URL(ctx.urls.DATABASE_MIGRATION_URL);
    const args = [
      '-n', '-M', 'prepared', '-f', join(ctx.root, 'bench/baselines/insert_incident.sql'),
      '-c', '16', '-j', '2', '-T', String(seconds),
      '-D', `pid=${ctx.ids.partnershipId}`, '-D', `sid=${ctx.ids.storeId}`, '-D', `aid=${ctx.ids.actorId}`,
      '-h', url.hostname, '-p', url.port, '-U', url.username, url.pathname.slice(1),
    ];
    const child = spawn(PGBENCH, args, { env: { PATH: process.env.PATH, PGPASSWORD: decodeURIComponent(url.password) } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const t0 = process.hrtime.bigint();
    let lastCpu = 0;
    const sampler = setInterval(() => {
      lastCpu = cpuSeconds(child.pid) ?? lastCpu;
    }, 200);
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
      const lat = /latency average = ([\d.]+) ms/.exec(out);
      resolve({
        tps: m ? Number(m[1]) : null,
        latencyAvgMs: lat ? Number(lat[1]) : null,
        cpuPct: round((lastCpu / secs) * 100, 1),
        error: code === 0 && m ? undefined : out.split('\n').slice(-3).join(' '),
      });
    });
  });
}
