// N radio clients (socket.io-client or raw ws) in their own process, driven over IPC by the runner.
// Latency = receipt time - t0 from the payload, both from process.hrtime (CLOCK_MONOTONIC, one clock
// for every process on the host).
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { histogram, encodeHistogram } from './stats.mjs';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sockets = [];
let hist = histogram();
/** seq -> {count, maxUs} */
let perSeq = new Map();
/** for the composite: alert id -> receipt times */
let receipts = new Map();
let event = 'alert';
/** deliveries that arrived after a later seq on the same socket */
let outOfOrder = 0;

function onPayload(p, state) {
  const at = nowUs();
  if (p && typeof p.t0 === 'number') {
    if (state) {
      if (p.seq < state.last) {
        outOfOrder += 1;
      }
      state.last = Math.max(state.last, p.seq);
    }
    const lat = Math.max(1, at - p.t0);
    hist.recordValue(lat);
    const s = perSeq.get(p.seq) ?? { count: 0, maxUs: 0 };
    s.count += 1;
    s.maxUs = Math.max(s.maxUs, lat);
    perSeq.set(p.seq, s);
  } else if (p && typeof p.id === 'string') {
    const list = receipts.get(p.id) ?? [];
    list.push(at);
    receipts.set(p.id, list);
  }
}

function connectSio(url, path, token) {
  return new Promise((resolve) => {
    const s = io(url, {
      path,
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      forceNew: true,
      timeout: 20000,
    });
    const t = setTimeout(() => done(false, 'timeout'), 30000);
    function done(ok, why) {
      clearTimeout(t);
      resolve({ ok, why, s });
    }
    const state = { last: -1 };
    s.on(event, (p) => onPayload(p, state));
    s.once('welcome', () => done(true));
    s.once('connect_error', (e) => done(false, e.message));
    sockets.push({ close: () => s.disconnect() });
  });
}

function connectWs(url) {
  return new Promise((resolve) => {
    const s = new WebSocket(url, { perMessageDeflate: false });
    const t = setTimeout(() => done(false, 'timeout'), 30000);
    function done(ok, why) {
      clearTimeout(t);
      resolve({ ok, why });
    }
    const state = { last: -1 };
    s.on('message', (d) => onPayload(JSON.parse(d), state));
    s.once('open', () => done(true));
    s.once('error', (e) => done(false, e.message));
    sockets.push({ close: () => s.terminate() });
  });
}

async function connect({ kind, urls, n, token, path, parallel = 100, set = 'default' }) {
  const before = sockets.length;
  const t0 = Date.now();
  let ok = 0;
  const failures = {};
  let next = 0;
  async function lane() {
    while (next < n) {
      const i = next++;
      const url = urls[i % urls.length];
      const r = kind === 'ws' ? await connectWs(url) : await connectSio(url, path, token);
      if (r.ok) {
        ok += 1;
      } else {
        failures[r.why] = (failures[r.why] ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
  for (const s of sockets.slice(before)) {
    s.set = set;
  }
  return { ok, failed: n - ok, failures, ms: Date.now() - t0 };
}

process.on('message', async (m) => {
  try {
    if (m.type === 'connect') {
      event = m.event ?? event;
      process.send({ type: 'connected', ...(await connect(m)) });
    } else if (m.type === 'reset') {
      hist = histogram();
      perSeq = new Map();
      receipts = new Map();
      outOfOrder = 0;
      process.send({ type: 'reset' });
    } else if (m.type === 'report') {
      process.send({
        type: 'report',
        histogram: encodeHistogram(hist),
        perSeq: [...perSeq.entries()],
        receipts: [...receipts.entries()],
        rss: process.memoryUsage().rss,
        outOfOrder,
      });
    } else if (m.type === 'close') {
      for (let i = sockets.length - 1; i >= 0; i--) {
        if (!m.set || sockets[i].set === m.set) {
          sockets[i].close();
          sockets.splice(i, 1);
        }
      }
      process.send({ type: 'closed' });
    }
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ?? err) });
  }
});
process.send({ type: 'ready' });
