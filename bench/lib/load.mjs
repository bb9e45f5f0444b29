// HTTP load generator in its own process (so its CPU can be sampled apart from the servers):
// autocannon at fixed connections, -p 1, for a fixed duration and at most `maxRequests`; or, with
// `rate`, open-loop arrivals at that mean rate (paced.mjs).
// Started by fork(); answers one {type:'result'} message, then exits.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { pacedLoad } from './paced.mjs';
import { histogram, summarizeUs, encodeHistogram } from './stats.mjs';

const spec = JSON.parse(process.env.BENCH_LOAD);
const h = histogram();
const statuses = {};
let n = 0;
const keyPrefix = randomBytes(6).toString('hex');

const target = new URL(spec.url);
const request = {
  method: spec.method ?? 'GET',
  path: `${target.pathname}${target.search}`,
  headers: { ...(spec.headers ?? {}) },
};
if (spec.body !== undefined) {
  request.body = spec.body;
}
if (spec.idempotency) {
  // Each request a new report from a tablet: a new Idempotency-Key every time.
  request.setupRequest = (req) => {
    n += 1;
    return { ...req, headers: { ...req.headers, 'idempotency-key': `bench-${keyPrefix}-${n}` } };
  };
}

if (spec.rate) {
  const headers = (i) => ({
    ...request.headers,
    ...(spec.idempotency ? { 'idempotency-key': `bench-${keyPrefix}-${i}` } : {}),
  });
  pacedLoad({ ...spec, seed: spec.seed ?? 1 }, headers).then(({ histogram: paced, ...result }) =>
    process.send(
      { type: 'result', ...result, latency: summarizeUs(paced), histogram: encodeHistogram(paced) },
      () => process.exit(0),
    ),
  );
} else {
  runAutocannon();
}

function runAutocannon() {
  const instance = autocannon(
    {
      url: target.origin,
      connections: spec.connections,
      pipelining: spec.pipelining ?? 1,
      duration: spec.duration,
      amount: spec.maxRequests,
      timeout: 10,
      requests: [request],
      excludeErrorStats: false,
    },
    (err, result) => {
      if (err) {
        process.send({ type: 'error', message: String(err.stack ?? err) });
        process.exit(1);
      }
      const lat = summarizeUs(h);
      process.send(
        {
          type: 'result',
          requests: result.requests.total,
          seconds: result.duration,
          rps: result.requests.total / result.duration,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statuses,
          latency: lat,
          histogram: encodeHistogram(h),
        },
        () => process.exit(0),
      );
    },
  );
  instance.on('response', (_client, status, _bytes, responseTimeMs) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    h.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
  });
  // Hard stop: duration plus a margin, whatever autocannon does.
  setTimeout(() => instance.stop(), (spec.duration + 15) * 1000).unref();
}
