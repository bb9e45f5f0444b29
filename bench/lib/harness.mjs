// Helpers the scenarios share: start a server child, run one load in its own process (CPU of the
// generator and the servers sampled from /proc), ratios and row texts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, machineBusySeconds, nextMessage, start, waitHttp } from './proc.mjs';
import { median, round, spread } from './stats.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Starts `file` (relative to bench/) under node, in the scenario's group; waits for `readyUrl`. */
export async function startServer(ctx, name, file, env, { readyUrl, ipc = false, timeoutMs = 60_000 } = {}) {
  const entry = start(name, process.execPath, ipc ? [join(here, '..', file)] : [join(here, '..', file)], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_ROOT: ctx.root, ...env },
    logDir: ctx.logDir,
    group: ctx.group,
    ipc,
  });
  if (readyUrl) {
    await waitHttp(readyUrl, timeoutMs, entry);
  }
  return entry;
}

/** Starts a built app (api, radio, worker) with the bench env plus `extra`. */
export async function startApp(ctx, name, app, extra, readyUrl) {
  const entry = start(name, process.execPath, [ctx.appMain(app)], {
    env: { ...ctx.env, ...extra },
    logDir: ctx.logDir,
    group: ctx.group,
  });
  if (readyUrl) {
    await waitHttp(readyUrl, 60_000, entry);
  }
  return entry;
}

/**
 * One autocannon run in a child process. `servers` are PIDs whose CPU is sampled alongside the
 * generator's. Returns the result plus generatorCpuPct and serverCpuPct (percent of one core), and
 * cpuMsPerOk: CPU milliseconds per 2xx answer of the whole machine, the generator, the servers
 * together and the rest (PostgreSQL, Redis, the kernel: what no listed PID accounts for).
 */
export async function runLoad(ctx, spec, servers = []) {
  const entry = start(`load-${Date.now()}`, process.execPath, [join(here, 'load.mjs')], {
    env: { PATH: process.env.PATH, BENCH_LOAD: JSON.stringify(spec) },
    logDir: ctx.logDir,
    group: ctx.group,
    ipc: true,
  });
  const pids = [entry.pid, ...servers];
  const before = pids.map(cpuSeconds);
  const machineBefore = machineBusySeconds();
  const t0 = process.hrtime.bigint();
  const peak = [0];
  const sampler = setInterval(() => {
    const c = cpuSeconds(entry.pid);
    if (c !== null) {
      peak[0] = c;
    }
  }, 250);
  try {
    const result = await nextMessage(entry, 'result', (spec.duration + 40) * 1000);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const machine = machineBusySeconds() - machineBefore;
    const after = pids.map(cpuSeconds);
    after[0] = after[0] ?? peak[0];
    const used = pids.map((_, i) => (after[i] === null || before[i] === null ? null : after[i] - before[i]));
    const pct = used.map((s) => (s === null ? null : round((s / secs) * 100, 1)));
    const servers = used.slice(1).reduce((a, s) => a + (s ?? 0), 0);
    const msPerOk = (s) => (result.ok ? round((s * 1000) / result.ok, 3) : null);
    const cpuMsPerOk = {
      machine: msPerOk(machine),
      generator: msPerOk(used[0] ?? 0),
      servers: msPerOk(servers),
      rest: msPerOk(machine - (used[0] ?? 0) - servers),
    };
    return { ...result, okRps: result.ok / result.seconds, generatorCpuPct: pct[0], serverCpuPct: pct.slice(1), cpuMsPerOk };
  } finally {
    clearInterval(sampler);
  }
}

/** Key by key, the median over objects of the same keys (a figure of each load run). */
export function medianByKey(objects) {
  return Object.fromEntries(Object.keys(objects[0]).map((k) => [k, round(median(objects.map((o) => o[k])), 3)]));
}

/** Above ~80% of a core the generator is the bottleneck and the row is void (quality.md §1). */
export const GENERATOR_VOID_PCT = 80;

export function summarizePairs(base, cand, pick) {
  const b = base.map(pick);
  const c = cand.map(pick);
  const ratios = c.map((x, i) => (b[i] ? x / b[i] : null));
  return {
    base: { values: b.map((x) => round(x, 3)), median: round(median(b), 3), spread: spread(b) },
    cand: { values: c.map((x) => round(x, 3)), median: round(median(c), 3), spread: spread(c) },
    ratio: round(median(ratios), 3),
    ratioSpread: spread(ratios),
  };
}

export const fmt = (x, unit = '', digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${Number(x).toLocaleString('en-GB', { maximumFractionDigits: digits })}${unit}`;

export const pct = (x) => (x === null || x === undefined ? 'n/a' : `${round(x * 100, 1)}%`);
export const yesNo = (b) => (b ? 'yes' : 'no');

export function spreadText(s) {
  return s && s.relative !== null ? ` (spread ${round(s.relative * 100, 0)}%)` : '';
}
