// W1/W2 fan-out from one emit (Redis emitter, as the worker's relay publishes) to N socket.io
// clients on the real radio, vs B-ws (raw ws broadcast to N clients) in the same run; W5 the same
// N split over two radio instances (Redis adapter); W4 RSS per idle connection; W8 a burst of 10
// alerts in 100 ms; W3 one alert a second to N sockets for a while: the radio's CPU and event-loop
// delay (prom-client's monitorEventLoopDelay, read from its /metrics). Three client sets, each
// listening to its own room so an emit reaches only its set:
//   ws  -> B-ws server
//   S1  -> radio-1 only, Riverside shopworker (store room A)
//   S2  -> radio-1 and radio-2 50/50, Northgate shopworker (store room B)
// W1/W2 rounds (ws, S1) run before S2 connects, so each server holds exactly the sockets it
// broadcasts to; then S2 connects and W5's rounds (S1, S2) run with both sets connected.
// Clients live in 1–2 separate Node processes; t0 (CLOCK_MONOTONIC µs) travels in the payload.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fmt, startApp, startServer, yesNo } from '../lib/harness.mjs';
import { ask, cpuSeconds, nextMessage, rssBytes, sleep, stop, waitHttp } from '../lib/proc.mjs';
import { decodeHistogram, histogram, median, round, summarizeUs } from '../lib/stats.mjs';

export const IDS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W8'];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const MESSAGE = 'Assistance requested at the tills: man in grey hoodie threatening staff, heading for the car park. Please attend or call 999.';

let seq = 0;

export async function run(ctx) {
  const { cfg } = ctx;
  const require = createRequire(join(ctx.root, 'package.json'));
  const { Emitter } = require('@socket.io/redis-emitter');
  const IORedis = require('ioredis');
  const redis = new IORedis(ctx.urls.REDIS_URL, { maxRetriesPerRequest: 1 });
  const emitter = new Emitter(redis, { key: `${ctx.env.REDIS_PREFIX}-radio` });
  const path = ctx.env.RADIO_PATH;
  const r1 = `http://127.0.0.1:${ctx.ports.radio1}`;
  const r2 = `http://127.0.0.1:${ctx.ports.radio2}`;
  const out = [];
  try {
    const radio1 = await startApp(ctx, 'radio-1', 'radio', { RADIO_PORT: String(ctx.ports.radio1) });
    const radio2 = await startApp(ctx, 'radio-2', 'radio', { RADIO_PORT: String(ctx.ports.radio2) });
    const ws = await startServer(ctx, 'b-ws', 'baselines/ws.mjs', { PORT: String(ctx.ports.bws) }, { ipc: true });
    await nextMessage(ws, 'ready', 30_000);
    await waitHttp(`${r1}${path}/`, 60_000, radio1, { anyStatus: true });
    await waitHttp(`${r2}${path}/`, 60_000, radio2, { anyStatus: true });
    // Each client process holds three sets of N/procs sockets; check the open-files limit first.
    const needFds = Math.ceil((3 * Math.max(...cfg.radio.sizes)) / cfg.radio.clientProcs) + 200;
    const limit = Number(ctx.data.openFilesLimit ?? 0);
    if (limit && limit < needFds) {
      throw new Error(`open-files limit ${limit} is below the ${needFds} a client process needs: raise ulimit -n`);
    }
    const procs = [];
    for (let i = 0; i < cfg.radio.clientProcs; i++) {
      const p = await startServer(ctx, `clients-${i}`, 'lib/clients.mjs', {}, { ipc: true });
      await nextMessage(p, 'ready', 30_000);
      procs.push(p);
    }
    const connectAll = async (set, kind, urls, n, token) => {
      const per = Math.ceil(n / procs.length);
      const rs = await Promise.all(
        procs.map((p, i) =>
          ask(p, { type: 'connect', set, kind, urls, n: Math.min(per, n - i * per), token, path, event: 'alert', parallel: 50 }, 'connected', 300_000),
        ),
      );
      const ok = rs.reduce((a, r) => a + r.ok, 0);
      if (ok < n) {
        throw new Error(`${set}: only ${ok}/${n} clients connected: ${JSON.stringify(rs.map((r) => r.failures))}`);
      }
      return Math.max(...rs.map((r) => r.ms));
    };
    const closeSet = (set) => Promise.all(procs.map((p) => ask(p, { type: 'close', set }, 'closed', 60_000)));

    const sizes = cfg.radio.sizes;
    const results = {};
    for (const n of sizes) {
      ctx.say(`radio: N=${n}`);
      const rss0 = { radio1: rssBytes(radio1.pid), ws: rssBytes(ws.pid) };
      const tWs = await connectAll('ws', 'ws', [`ws://127.0.0.1:${ctx.ports.bws}`], n);
      const tS1 = await connectAll('s1', 'sio', [r1], n, ctx.token);
      await sleep(1500);
      const rss1 = { radio1: rssBytes(radio1.pid), ws: rssBytes(ws.pid) };
      const sides = {
        ws: (payload) => ws.child.send({ type: 'broadcast', payload }),
        s1: (payload) => emitter.to(`store:${ctx.ids.storeId}`).emit('alert', payload),
        s2: (payload) => emitter.to(`store:${ctx.ids2.storeId}`).emit('alert', payload),
      };
      // Phase one (W1, W2): each server holds exactly the N sockets it broadcasts to.
      const single = await rounds(procs, sides, ['ws', 's1'], ctx.pairs, cfg.radio, n);
      // Phase two (W5, W3, W8): the two-instance set joins, and one instance is measured again
      // beside it, so both sides of W5 run with the same sockets connected.
      const tS2 = await connectAll('s2', 'sio', [r1, r2], n, ctx.token2);
      ctx.say(`radio: N=${n} connected in ${tWs}/${tS1}/${tS2} ms (ws/one/two instances)`);
      const both = await rounds(procs, sides, ['s1', 's2'], ctx.pairs, cfg.radio, n);
      ctx.say(`radio: N=${n} rounds done`);
      const sum = { ws: single.ws, s1: single.s1, s1WithS2: both.s1, s2: both.s2 };
      let burst = null;
      let steady = null;
      if (n === sizes.at(-1)) {
        burst = await burst_(procs, sides.s1, n);
        if (ctx.only.includes('W3')) {
          steady = await steady_(procs, sides.s1, n, radio1.pid, `${r1}/metrics`, cfg.radio.steadyS);
        }
      }
      results[n] = {
        connectMs: { ws: tWs, s1: tS1, s2: tS2 },
        rssPerConnection: {
          radio: (rss1.radio1 - rss0.radio1) / n,
          ws: (rss1.ws - rss0.ws) / n,
        },
        sum,
        burst,
        steady,
      };
      await closeSet('ws');
      await closeSet('s1');
      await closeSet('s2');
      await sleep(1000);
    }
    for (const p of procs) {
      await stop(p);
    }
    await stop(ws);
    await stop(radio1);
    await stop(radio2);

    const [small, big] = [sizes[0], sizes.at(-1)];
    const S = results[small].sum;
    const B = results[big].sum;
    const quickNote = ctx.quick ? ` (quick run: N=${small} stands in for 1,000 and N=${big} for 5,000)` : '';
    if (ctx.only.includes('W1')) {
      out.push({
        id: 'W1',
        baselineText: `B-ws last-receive p50 ${fmt(S.ws.last.p50, '', 1)}, p99 ${fmt(S.ws.last.p99, ' ms', 1)}`,
        measuredText: `N=${small}, one instance: last-receive p50 ${fmt(S.s1.last.p50, '', 1)}, p99 ${fmt(S.s1.last.p99, ' ms', 1)}; per-delivery p99 ${fmt(S.s1.delivery.p99, ' ms', 1)}`,
        ratioText: `p99 ${fmt(S.s1.last.p99 / S.ws.last.p99, '×', 2)} B-ws`,
        met: yesNo(S.s1.last.p99 < 50 && S.s1.complete),
        figures: results[small],
        note: `${cfg.radio.broadcasts} broadcasts every ${cfg.radio.intervalMs} ms per side per round, ${ctx.pairs} round(s), ~300 B payload; each server holds only the N sockets it broadcasts to${quickNote}${S.s1.complete ? '' : '; some deliveries missing'}`,
      });
    }
    if (ctx.only.includes('W2')) {
      const ratio = B.s1.last.p99 / B.ws.last.p99;
      out.push({
        id: 'W2',
        baselineText: `B-ws last-receive p50 ${fmt(B.ws.last.p50, '', 1)}, p99 ${fmt(B.ws.last.p99, ' ms', 1)}`,
        measuredText: `N=${big}, one instance: last-receive p50 ${fmt(B.s1.last.p50, '', 1)}, p99 ${fmt(B.s1.last.p99, ' ms', 1)}`,
        ratioText: `p99 ${fmt(ratio, '×', 2)}`,
        met: yesNo(B.s1.last.p50 < 100 && B.s1.last.p99 < 250 && ratio <= 1.5 && B.s1.complete),
        ratio: round(ratio, 3),
        figures: results[big],
        note: `clients in ${cfg.radio.clientProcs} process(es); each server holds only the N sockets it broadcasts to; connect time ${results[big].connectMs.s1} ms for ${big} sockets${quickNote}`,
      });
    }
    if (ctx.only.includes('W3')) {
      const w = results[big].steady;
      out.push({
        id: 'W3',
        baselineText: 'absolute',
        measuredText: `N=${big}, ${w.alerts} alerts 1 s apart: radio CPU ${fmt(w.cpuPct, '% of a core', 1)}; event-loop delay p99 ${fmt(w.loopDelay.p99, ' ms', 1)}, max ${fmt(w.loopDelay.max, ' ms', 1)}`,
        ratioText: '—',
        met: yesNo(w.cpuPct <= 35 && w.loopDelay.p99 <= 20 && w.complete),
        figures: w,
        note: `radio-1 holding its ${big} measured sockets and half of the two-instance set's; CPU from /proc over the ${w.seconds} s, event-loop delay from the radio's own /metrics (prom-client, monitorEventLoopDelay at 10 ms resolution, reset by the scrape before)${quickNote}${w.complete ? '' : '; some deliveries missing'}`,
      });
    }
    if (ctx.only.includes('W4')) {
      const rp = results[big].rssPerConnection;
      const ratio = rp.radio / rp.ws;
      out.push({
        id: 'W4',
        baselineText: `B-ws ${fmt(rp.ws / 1024, ' KB/conn', 1)}`,
        measuredText: `radio ${fmt(rp.radio / 1024, ' KB/conn', 1)}`,
        ratioText: `${fmt(ratio, '×', 2)}`,
        met: yesNo(ratio <= 2 && rp.radio <= 50 * 1024),
        ratio: round(ratio, 3),
        note: `RSS growth of the server process over ${big} idle connections (no forced GC), perMessageDeflate off both sides${quickNote}`,
      });
    }
    if (ctx.only.includes('W5')) {
      const one = B.s1WithS2;
      const ratio = B.s2.last.p99 / one.last.p99;
      const added = B.s2.last.p50 - one.last.p50;
      out.push({
        id: 'W5',
        baselineText: `one instance p50 ${fmt(one.last.p50, '', 1)}, p99 ${fmt(one.last.p99, ' ms', 1)}`,
        measuredText: `two instances (50/50): p50 ${fmt(B.s2.last.p50, '', 1)}, p99 ${fmt(B.s2.last.p99, ' ms', 1)}`,
        ratioText: `p99 ${fmt(ratio, '×', 2)}; added p50 ${fmt(added, ' ms', 1)}`,
        met: yesNo(ratio <= 1.3 && added <= 3 && B.s2.complete),
        ratio: round(ratio, 3),
        note: `N=${big}; @socket.io/redis-adapter (classic pub/sub), emit through @socket.io/redis-emitter; one-instance rounds interleaved with the two-instance ones, both sets connected${quickNote}`,
      });
    }
    if (ctx.only.includes('W8')) {
      const b = results[big].burst;
      out.push({
        id: 'W8',
        baselineText: 'absolute',
        measuredText: `N=${big}: ${b.delivered}/${b.expected} delivered, ${b.outOfOrder} out of order, last arrival ${fmt(b.lastAfterLastEmitMs, ' ms', 1)} after the last emit`,
        ratioText: '—',
        met: yesNo(b.delivered === b.expected && b.outOfOrder === 0 && b.lastAfterLastEmitMs <= 1000),
        figures: b,
        note: `10 alerts 10 ms apart to one instance's store room${quickNote}`,
      });
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

/** Warm-up rounds of each side, then `pairs` rounds of each in turn; the sides' combined figures. */
async function rounds(procs, sides, names, pairs, cfg, n) {
  for (const side of names) {
    await round_(procs, sides[side], 3, cfg.intervalMs, n);
  }
  const reps = Object.fromEntries(names.map((side) => [side, []]));
  for (let i = 0; i < pairs; i++) {
    for (const side of names) {
      reps[side].push(await round_(procs, sides[side], cfg.broadcasts, cfg.intervalMs, n));
    }
  }
  return Object.fromEntries(names.map((side) => [side, combine(reps[side])]));
}

/** One side's round: `count` broadcasts `gapMs` apart, then collects what every client received. */
async function round_(procs, emit, count, gapMs, n) {
  await Promise.all(procs.map((p) => ask(p, { type: 'reset' }, 'reset', 30_000)));
  const seqs = [];
  for (let i = 0; i < count; i++) {
    seq += 1;
    seqs.push(seq);
    emit(payload(seq));
    await sleep(gapMs);
  }
  return collect(procs, seqs, n);
}

async function burst_(procs, emit, n) {
  await Promise.all(procs.map((p) => ask(p, { type: 'reset' }, 'reset', 30_000)));
  const seqs = [];
  const t0s = new Map();
  for (let i = 0; i < 10; i++) {
    seq += 1;
    seqs.push(seq);
    const p = payload(seq);
    t0s.set(seq, p.t0);
    emit(p);
    await sleep(10);
  }
  const c = await collect(procs, seqs, n);
  const lastEmit = t0s.get(seqs.at(-1));
  let lastArrival = 0;
  for (const [s, v] of c.perSeq) {
    lastArrival = Math.max(lastArrival, t0s.get(s) + v.maxUs);
  }
  return {
    expected: 10 * n,
    delivered: c.delivered,
    outOfOrder: c.outOfOrder,
    lastAfterLastEmitMs: round((lastArrival - lastEmit) / 1000, 2),
  };
}

/** W3: one alert a second for `seconds`, the radio's CPU across them and its event-loop delay. */
async function steady_(procs, emit, n, pid, metricsUrl, seconds) {
  await Promise.all(procs.map((p) => ask(p, { type: 'reset' }, 'reset', 30_000)));
  await scrape(metricsUrl); // resets the radio's event-loop delay histogram
  const cpu0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  const seqs = [];
  for (let i = 0; i < seconds; i++) {
    seq += 1;
    seqs.push(seq);
    emit(payload(seq));
    await sleep(1000);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuPct = ((cpuSeconds(pid) - cpu0) / secs) * 100;
  const metrics = await scrape(metricsUrl);
  const gauge = (name) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1]) * 1000;
  const c = await collect(procs, seqs, n);
  return {
    alerts: seqs.length,
    seconds: round(secs, 1),
    cpuPct: round(cpuPct, 1),
    loopDelay: {
      p50: round(gauge('nodejs_eventloop_lag_p50_seconds'), 2),
      p99: round(gauge('nodejs_eventloop_lag_p99_seconds'), 2),
      max: round(gauge('nodejs_eventloop_lag_max_seconds'), 2),
    },
    delivery: c.delivery,
    complete: c.delivered === c.expected,
  };
}

async function scrape(url) {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: HTTP ${res.status}`);
  }
  return res.text();
}

async function collect(procs, seqs, n) {
  // wait until every client has every broadcast, at most 5 s
  const until = Date.now() + 5000;
  let reports;
  for (;;) {
    await sleep(200);
    reports = await Promise.all(procs.map((p) => ask(p, { type: 'report' }, 'report', 30_000)));
    const got = reports.reduce((a, r) => a + r.perSeq.reduce((x, [, v]) => x + v.count, 0), 0);
    if (got >= seqs.length * n) {
      break;
    }
    if (Date.now() > until) {
      process.stdout.write(`[bench] radio: ${got}/${seqs.length * n} deliveries after 5 s\n`);
      break;
    }
  }
  const h = histogram();
  const perSeq = new Map();
  let outOfOrder = 0;
  for (const r of reports) {
    if (r.histogram) {
      h.add(decodeHistogram(r.histogram));
    }
    outOfOrder += r.outOfOrder;
    for (const [s, v] of r.perSeq) {
      const cur = perSeq.get(s) ?? { count: 0, maxUs: 0 };
      cur.count += v.count;
      cur.maxUs = Math.max(cur.maxUs, v.maxUs);
      perSeq.set(s, cur);
    }
  }
  const delivered = [...perSeq.values()].reduce((a, v) => a + v.count, 0);
  return {
    delivered,
    expected: seqs.length * n,
    outOfOrder,
    perSeq,
    lastMs: seqs.map((s) => (perSeq.get(s)?.maxUs ?? NaN) / 1000),
    delivery: summarizeUs(h),
  };
}

/** Merges rounds: last-receive percentiles over every broadcast; per-delivery medians of rounds. */
function combine(rounds) {
  const last = rounds.flatMap((r) => r.lastMs).sort((a, b) => a - b);
  const q = (p) => (last.length ? last[Math.min(last.length - 1, Math.ceil((p / 100) * last.length) - 1)] : null);
  return {
    last: { p50: round(q(50), 2), p99: round(q(99), 2), max: round(last.at(-1), 2), broadcasts: last.length },
    delivery: {
      p50: round(median(rounds.map((r) => r.delivery.p50)), 2),
      p99: round(median(rounds.map((r) => r.delivery.p99)), 2),
    },
    complete: rounds.every((r) => r.delivered === r.expected),
    delivered: rounds.reduce((a, r) => a + r.delivered, 0),
    expected: rounds.reduce((a, r) => a + r.expected, 0),
  };
}

function payload(s) {
  return {
    seq: s,
    t0: nowUs(),
    type: 'assistance_requested',
    priority: 'emergency',
    storeName: 'High Street Express',
    message: MESSAGE,
    raisedAt: new Date().toISOString(),
  };
}


