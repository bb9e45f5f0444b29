// Open-loop load: requests arrive at a fixed mean rate whatever the server does (Poisson arrivals,
// as independent tablets file reports), over at most `connections` keep-alive sockets. Latency is
// timed from each request's scheduled arrival, so a request that waits for a free socket or behind
// a slow server counts that wait (no coordinated omission). autocannon's rate limit is not this: it
// lets every connection send its share of the second back to back at the top of each second, so at
// 70% of the maximum most requests met a saturated server.
import http from 'node:http';
import { deriveSeed, histogram } from './stats.mjs';

/** Exponential gaps, the n-th drawn from the seed (the bench's own seeding), so runs repeat. */
function gaps(seed, meanMs) {
  let n = 0;
  return () => -Math.log(1 - deriveSeed(seed, String(n++)) / 2 ** 32) * meanMs;
}

/**
 * Sends `rate` requests a second on average for `duration` seconds; `headersFor(n)` gives each
 * request's headers. Resolves once every request sent has been answered (or timed out).
 */
export function pacedLoad(
  { url, method, body, connections, rate, duration, seed, timeoutS = 10 },
  headersFor,
) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const h = histogram();
  const length = body === undefined ? {} : { 'content-length': Buffer.byteLength(body) };
  const statuses = {};
  const result = { requests: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const next = gaps(seed, 1000 / rate);
  const start = performance.now();
  const end = start + duration * 1000;
  let outstanding = 0;
  let arriving = true;
  return new Promise((resolve) => {
    // by flags, not the clock: a timer may fire a fraction of a millisecond before `end`
    const finish = () => {
      if (outstanding === 0 && !arriving) {
        agent.destroy();
        resolve({ ...result, seconds: duration, rps: result.requests / duration, statuses, histogram: h });
      }
    };
    const send = (due) => {
      result.requests += 1;
      outstanding += 1;
      let answered = false;
      const done = (status) => {
        if (answered) {
          return;
        }
        answered = true;
        outstanding -= 1;
        if (status) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          result[status >= 200 && status < 300 ? 'ok' : 'non2xx'] += 1;
          h.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
        }
        finish();
      };
      const req = http.request(
        target,
        { method, agent, headers: { ...headersFor(result.requests), ...length }, timeout: timeoutS * 1000 },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode));
        },
      );
      req.on('timeout', () => {
        result.timeouts += 1;
        req.destroy();
      });
      req.on('error', () => {
        result.errors += 1;
        done(0);
      });
      req.end(body);
    };
    // One timer per arrival, scheduled against the clock, so timer lateness does not thin the load.
    let due = start + next();
    const tick = () => {
      const now = performance.now();
      while (due <= now && due < end) {
        send(due);
        due += next();
      }
      if (due < end) {
        setTimeout(tick, Math.max(0, due - performance.now()));
      } else {
        arriving = false;
        finish();
      }
    };
    tick();
  });
}
