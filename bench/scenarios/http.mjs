// H1: the api's GET /health (Nest + Fastify, every global hook) vs B-http (bare Fastify 5).
// H3: Nest + Fastify POST /incidents with the real DTO and the DB stubbed, with vs without the
//     api's global pipe. H4: the compiled validator against class-validator on the real DTO (in process).
// H5: the api's GET /health with its one request line per response (LOG_LEVEL=info) vs without it
//     (LOG_LEVEL=warn): two fresh api processes, the same build.
import { incidentBody } from '../lib/body.mjs';
import { fmt, GENERATOR_VOID_PCT, pct, runLoad, spreadText, startApp, startServer, summarizePairs, yesNo } from '../lib/harness.mjs';
import { nextMessage, stop } from '../lib/proc.mjs';
import { round } from '../lib/stats.mjs';

export const IDS = ['H1', 'H3', 'H4', 'H5'];

export async function run(ctx) {
  // each row is recorded as soon as it is measured, so a later timeout keeps it
  const out = [];
  for (const [id, fn] of [['H4', h4], ['H1', h1], ['H3', h3], ['H5', h5]]) {
    if (ctx.only.includes(id)) {
      const row = await fn(ctx);
      ctx.record(row);
      out.push(row);
    }
  }
  return out;
}

async function h1(ctx) {
  const { cfg } = ctx;
  const port = ctx.ports.bhttp;
  const bare = await startServer(ctx, 'b-http', 'baselines/http.mjs', { PORT: String(port) }, {
    readyUrl: `http://127.0.0.1:${port}/health`,
  });
  const spec = (url, duration) => ({ url, connections: 100, pipelining: 1, duration });
  const A = (d) => runLoad(ctx, spec(`http://127.0.0.1:${port}/health`, d), [bare.pid]);
  const B = (d) => runLoad(ctx, spec(`${ctx.apiUrl}/health`, d), [ctx.apps.api.pid]);
  const { base, cand, genCpu } = await interleaved(ctx, A, B);
  await stop(bare);
  const rps = summarizePairs(base, cand, (r) => r.okRps);
  const p99 = summarizePairs(base, cand, (r) => r.latency.p99);
  const met = rps.ratio >= 0.8 && p99.ratio <= 1.3;
  return {
    id: 'H1',
    baselineText: `B-http ${fmt(rps.base.median, ' req/s', 0)}, p99 ${fmt(p99.base.median, ' ms', 2)}`,
    measuredText: `${fmt(rps.cand.median, ' req/s', 0)}${spreadText(rps.cand.spread)}, p99 ${fmt(p99.cand.median, ' ms', 2)}`,
    ratioText: `${pct(rps.ratio)} req/s; p99 ${fmt(p99.ratio, '×', 2)}`,
    met: yesNo(met),
    ratio: rps.ratio,
    figures: { rps, p99 },
    reps: { base: strip(base), cand: strip(cand) },
    generatorCpuPct: genCpu,
    void: genCpu > GENERATOR_VOID_PCT,
    note: `autocannon 100 conns -p 1, ${cfg.httpS} s per side, ${ctx.pairs} pair(s); generator CPU up to ${genCpu}% of a core${genCpu > GENERATOR_VOID_PCT ? ' (void: the generator, not the server, is the bottleneck on this host)' : ''}`,
  };
}

async function h3(ctx) {
  const port = ctx.ports.h3;
  const body = JSON.stringify(incidentBody());
  // Both variants run side by side on two ports; measured A B A B after a warm-up of each.
  const serve = (validate, p) =>
    startServer(ctx, `h3-${validate ? 'validate' : 'none'}`, 'scenarios/validation-app.mjs', {
      PORT: String(p),
      VALIDATE: validate ? '1' : '0',
    });
  const none = await serve(false, port);
  const valid = await serve(true, port + 10);
  await waitPort(port, none);
  await waitPort(port + 10, valid);
  const load = (server, p, d) =>
    runLoad(
      ctx,
      {
        url: `http://127.0.0.1:${p}/incidents`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: 50,
        duration: d,
      },
      [server.pid],
    );
  const { base, cand, genCpu } = await interleaved(
    ctx,
    (d) => load(none, port, d),
    (d) => load(valid, port + 10, d),
  );
  await stop(none);
  await stop(valid);
  const bad = cand.find((r) => r.ok !== r.requests);
  const rps = summarizePairs(base, cand, (r) => r.okRps);
  return {
    id: 'H3',
    baselineText: `no validation ${fmt(rps.base.median, ' req/s', 0)}`,
    measuredText: `with the api pipe ${fmt(rps.cand.median, ' req/s', 0)}${spreadText(rps.cand.spread)}`,
    ratioText: pct(rps.ratio),
    met: bad ? 'no' : yesNo(rps.ratio >= 0.85),
    ratio: rps.ratio,
    figures: { rps },
    reps: { base: strip(base), cand: strip(cand) },
    generatorCpuPct: genCpu,
    void: genCpu > GENERATOR_VOID_PCT,
    note: `Nest 11 + FastifyAdapter, one route taking the real CreateIncidentRequest, DB stubbed; 50 conns -p 1${bad ? `; some validated requests failed: ${JSON.stringify(bad.statuses)}` : ''}`,
  };
}

async function h4(ctx) {
  const micro = async (validator) => {
    const s = await startServer(
      ctx,
      `h4-${validator}`,
      'scenarios/validation-app.mjs',
      { MICRO: '1', MICRO_S: String(ctx.quick ? 1 : 5), VALIDATOR: validator },
      { ipc: true },
    );
    return nextMessage(s, 'result', 120_000);
  };
  const base = await micro('class-validator');
  const cand = await micro('compiled');
  const ratio = cand.ops / base.ops;
  return {
    id: 'H4',
    baselineText: `class-validator ${fmt(base.ops, ' ops/s', 0)}, ${fmt(base.usPerOp, ' µs/DTO', 1)}`,
    measuredText: `compiled ${fmt(cand.ops, ' ops/s', 0)}, ${fmt(cand.usPerOp, ' µs/DTO', 2)}`,
    ratioText: `${fmt(ratio, '×', 1)}`,
    met: yesNo(ratio >= 50 && cand.usPerOp <= 5),
    ratio,
    figures: {
      base: { opsPerSecond: round(base.ops, 0), usPerDto: round(base.usPerOp, 2), n: base.n },
      cand: { opsPerSecond: round(cand.ops, 0), usPerDto: round(cand.usPerOp, 3), n: cand.n },
    },
    note: "the real CreateIncidentRequest, already transformed, validated in a tight loop in one process: class-validator's validate with the pipe's options against the api's compiled validator (CompiledValidation, built from the same decorators; class-validator still judges and words invalid input)",
  };
}

async function h5(ctx) {
  const { cfg } = ctx;
  const serve = (level, port) =>
    startApp(ctx, `h5-${level}`, 'api', { API_PORT: String(port), LOG_LEVEL: level }, `http://127.0.0.1:${port}/health`);
  const quiet = await serve('warn', ctx.ports.h5);
  const logging = await serve('info', ctx.ports.h5 + 10);
  const load = (server, port, d) =>
    runLoad(ctx, { url: `http://127.0.0.1:${port}/health`, connections: 50, pipelining: 1, duration: d }, [server.pid]);
  const { base, cand, genCpu } = await interleaved(
    ctx,
    (d) => load(quiet, ctx.ports.h5, d),
    (d) => load(logging, ctx.ports.h5 + 10, d),
  );
  await stop(quiet);
  await stop(logging);
  const rps = summarizePairs(base, cand, (r) => r.okRps);
  return {
    id: 'H5',
    baselineText: `no request line ${fmt(rps.base.median, ' req/s', 0)}`,
    measuredText: `one pino line per request ${fmt(rps.cand.median, ' req/s', 0)}${spreadText(rps.cand.spread)}`,
    ratioText: `${pct(rps.ratio)} (costs ${pct(1 - rps.ratio)})`,
    met: yesNo(rps.ratio >= 0.9),
    ratio: rps.ratio,
    figures: { rps },
    reps: { base: strip(base), cand: strip(cand) },
    generatorCpuPct: genCpu,
    void: genCpu > GENERATOR_VOID_PCT,
    note: `the api's GET /health (every global hook), LOG_LEVEL=info (the request line, asynchronous pino to a file) against LOG_LEVEL=warn, two fresh api processes; autocannon 50 conns -p 1, ${cfg.httpS} s per side, ${ctx.pairs} pair(s); generator CPU up to ${genCpu}% of a core`,
  };
}

/** A warm-up of each side, then `ctx.pairs` interleaved runs (base, candidate) of `httpS` seconds. */
async function interleaved(ctx, base_, cand_) {
  await base_(ctx.cfg.warmupS);
  await cand_(ctx.cfg.warmupS);
  const base = [];
  const cand = [];
  for (let i = 0; i < ctx.pairs; i++) {
    base.push(await base_(ctx.cfg.httpS));
    cand.push(await cand_(ctx.cfg.httpS));
  }
  return { base, cand, genCpu: Math.max(...[...base, ...cand].map((r) => r.generatorCpuPct ?? 0)) };
}

async function waitPort(port, entry) {
  for (let i = 0; i < 300; i++) {
    if (entry.exited) {
      throw new Error(`${entry.name} exited; see ${entry.logPath}`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/nothing`)
      .then(() => true)
      .catch(() => false);
    if (ok) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never answered`);
}

function strip(rs) {
  return rs.map(({ histogram, ...r }) => ({ ...r, histogram }));
}
