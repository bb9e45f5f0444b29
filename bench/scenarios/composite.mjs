// C1: the full POST /api/v1/incidents at 50 conns while `tablets` socket.io clients (one store
// room) sit on two radio instances, vs B-pg in the same run (A B A B). During each api side, alerts
// are raised to the tablets' store through the api (POST /api/v1/alerts -> outbox -> worker relay
// -> Redis adapter -> both radios); latency = tablet receipt - arrival of the alert's 201 (one
// clock, CLOCK_MONOTONIC).
import { incidentBody } from '../lib/body.mjs';
import { fmt, GENERATOR_VOID_PCT, medianByKey, pct, runLoad, startApp, startServer, summarizePairs, yesNo } from '../lib/harness.mjs';
import { ask, nextMessage, sleep, stop, waitHttp } from '../lib/proc.mjs';
import { workerSettler } from '../lib/settle.mjs';
import { histogram, summarizeUs } from '../lib/stats.mjs';

export const IDS = ['C1'];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export async function run(ctx) {
  const { cfg } = ctx;
  const path = ctx.env.RADIO_PATH;
  const r1 = `http://127.0.0.1:${ctx.ports.radio1}`;
  const r2 = `http://127.0.0.1:${ctx.ports.radio2}`;
  const radio1 = await startApp(ctx, 'radio-1', 'radio', { RADIO_PORT: String(ctx.ports.radio1) });
  const radio2 = await startApp(ctx, 'radio-2', 'radio', { RADIO_PORT: String(ctx.ports.radio2) });
  await waitHttp(`${r1}${path}/`, 60_000, radio1, { anyStatus: true });
  await waitHttp(`${r2}${path}/`, 60_000, radio2, { anyStatus: true });
  const clients = await startServer(ctx, 'tablets', 'lib/clients.mjs', {}, { ipc: true });
  await nextMessage(clients, 'ready', 30_000);
  const n = cfg.composite.tablets;
  const c = await ask(
    clients,
    { type: 'connect', set: 'tablets', kind: 'sio', urls: [r1, r2], n, token: ctx.token, path, event: 'alert', parallel: 50 },
    'connected',
    300_000,
  );
  if (c.ok < n) {
    throw new Error(`only ${c.ok}/${n} tablets connected: ${JSON.stringify(c.failures)}`);
  }
  const port = ctx.ports.bpg;
  const bpg = await startServer(ctx, 'b-pg', 'baselines/pg.mjs', {
    PORT: String(port),
    BENCH_PG_URL: ctx.urls.DATABASE_MIGRATION_URL,
    BENCH_IDS: JSON.stringify(ctx.ids),
  });
  await waitHttp(`http://127.0.0.1:${port}/`, 60_000, bpg, { anyStatus: true });
  const body = JSON.stringify(incidentBody());
  const spec = (url, headers, d, idempotency) => ({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections: 50,
    duration: d,
    idempotency,
  });
  const A = (d) => runLoad(ctx, spec(`http://127.0.0.1:${port}/incidents`, {}, d, false), [bpg.pid]);
  const servers = [ctx.apps.api.pid, ctx.apps.worker.pid, radio1.pid, radio2.pid];
  const sent = new Map();
  const alertErrors = [];
  const B = async (d, alerts) => {
    const load = runLoad(ctx, spec(`${ctx.apiUrl}/api/v1/incidents`, { authorization: `Bearer ${ctx.token}` }, d, true), servers);
    // alerts spread over the middle of the run
    const gap = (d * 1000 * 0.8) / Math.max(1, alerts);
    await sleep(d * 100);
    for (let i = 0; i < alerts; i++) {
      const postedAt = nowUs();
      const r = await fetch(`${ctx.apiUrl}/api/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.coordinatorToken}` },
        body: JSON.stringify({
          type: 'information',
          message: `Bench alert ${i}: man in grey hoodie seen heading towards the high street.`,
          target: { kind: 'store', storeId: ctx.ids.storeId },
        }),
      });
      const at = nowUs();
      const j = await r.json().catch(() => ({}));
      if (r.status === 201 && j.id) {
        sent.set(j.id, { postedAt, answeredAt: at });
      } else {
        alertErrors.push(`${r.status} ${JSON.stringify(j).slice(0, 200)}`);
      }
      await sleep(gap);
    }
    return load;
  };
  await A(cfg.warmupS);
  await B(cfg.warmupS, 0);
  await ask(clients, { type: 'reset' }, 'reset', 30_000);
  const base = [];
  const cand = [];
  const settler = await workerSettler(ctx, ctx.ids.partnershipId);
  try {
    for (let i = 0; i < ctx.pairs; i++) {
      base.push(await A(cfg.composite.s));
      await settler.settle();
      cand.push(await B(cfg.composite.s, cfg.composite.alerts));
      await settler.settle();
    }
  } finally {
    await settler.close();
  }
  // let the last alerts arrive (at most 5 s)
  let rep;
  const until = Date.now() + 5000;
  for (;;) {
    rep = await ask(clients, { type: 'report' }, 'report', 30_000);
    const got = rep.receipts.filter(([id]) => sent.has(id)).reduce((a, [, l]) => a + l.length, 0);
    if (got >= sent.size * n || Date.now() > until) {
      break;
    }
    await sleep(250);
  }
  const h = histogram();
  let negative = 0;
  let received = 0;
  for (const [id, times] of rep.receipts) {
    const alert = sent.get(id);
    if (alert === undefined) {
      continue;
    }
    // measured from the POST's send (one monotonic clock for every process), so a receipt that
    // beats the 201 still has its true latency; the target's "after the 201" is at most this
    for (const t of times) {
      received += 1;
      if (t < alert.answeredAt) {
        negative += 1;
      }
      h.recordValue(t - alert.postedAt);
    }
  }
  await ask(clients, { type: 'close' }, 'closed', 60_000);
  await stop(clients);
  await stop(bpg);
  await stop(radio1);
  await stop(radio2);
  const alertLat = summarizeUs(h);
  const rps = summarizePairs(base, cand, (r) => r.okRps);
  const p99 = summarizePairs(base, cand, (r) => r.latency.p99);
  const expected = sent.size * n;
  const genCpu = Math.max(...[...base, ...cand].map((r) => r.generatorCpuPct ?? 0));
  const failed = cand.map((r) => r.requests - r.ok);
  const cpuMs = { base: medianByKey(base.map((r) => r.cpuMsPerOk)), cand: medianByKey(cand.map((r) => r.cpuMsPerOk)) };
  const met =
    rps.ratio >= 0.3 &&
    p99.cand.median <= 100 &&
    alertLat.count > 0 &&
    alertLat.p99 <= 150 &&
    received === expected &&
    alertErrors.length === 0 &&
    failed.every((f) => f === 0);
  return [
    {
      id: 'C1',
      baselineText: `B-pg ${fmt(rps.base.median, ' req/s', 0)}`,
      measuredText: `${fmt(rps.cand.median, ' req/s', 0)}, p99 ${fmt(p99.cand.median, ' ms', 1)}; alert received after the POST was sent (bounds the time after the 201) p50 ${fmt(alertLat.p50, '', 1)}, p99 ${fmt(alertLat.p99, ' ms', 1)} (${received}/${expected} receipts)`,
      ratioText: pct(rps.ratio),
      met: yesNo(met),
      ratio: rps.ratio,
      figures: { rps, p99, alertLatency: alertLat, alertsSent: sent.size, receipts: received, expected, negative, alertErrors: alertErrors.slice(0, 5), apiNon2xx: failed, cpuMsPerOk: cpuMs },
      reps: { base, cand },
      generatorCpuPct: genCpu,
      void: genCpu > GENERATOR_VOID_PCT,
      note: `${n} tablets (socket.io, one store room) split over 2 radio instances; 50 conns -p 1, ${cfg.composite.s} s per side, ${ctx.pairs} pair(s), the worker settled before each side (as D1); ${cfg.composite.alerts} alerts per api side raised through POST /api/v1/alerts (POST /incidents itself raises no radio alert today: the offender check alerts only on a new serial flag); the machine's CPU per answered request (medians): B-pg ${fmt(cpuMs.base.machine, ' ms', 2)}, the hub ${fmt(cpuMs.cand.machine, ' ms', 2)} (api, worker and radios ${fmt(cpuMs.cand.servers, '', 2)}, the generator ${fmt(cpuMs.cand.generator, '', 2)}, PostgreSQL, Redis and the kernel ${fmt(cpuMs.cand.rest, '', 2)})${negative ? `; ${negative} receipts arrived before the 201 was read` : ''}${alertErrors.length ? `; alert errors: ${alertErrors[0]}` : ''}${failed.some((f) => f) ? `; api non-2xx ${failed.join('/')}` : ''}`,
    },
  ];
}


