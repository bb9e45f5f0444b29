// W9: N socket.io clients in this process that connect all at once (a connection storm, as after a
// radio restart or a network blip), driven over IPC by the runner. Each one records when its
// replay arrived and whether it held an expected alert, whether the server disconnected it, and
// when it heard a later live alert.
import { io } from 'socket.io-client';

const sockets = [];
const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

function storm({ urls, n, token, path, lastSeq, expectId, timeoutMs = 120_000 }) {
  const t0 = nowMs();
  return new Promise((resolve) => {
    let settled = 0;
    const finish = () => {
      const replayed = sockets.filter((s) => s.replayAt !== null);
      resolve({
        n,
        replayed: replayed.length,
        withExpected: replayed.filter((s) => s.hadExpected).length,
        lastReplayMs: Math.max(0, ...replayed.map((s) => s.replayAt - t0)),
        serverDisconnects: sockets.filter((s) => s.serverDisconnect).length,
        // sockets that never connected, by their last error; and connection attempts tried again
        connectErrors: countBy(sockets.filter((s) => s.connectError && s.replayAt === null).map((s) => s.connectError)),
        connectRetries: sockets.reduce((a, s) => a + s.retries, 0),
        socketsRetried: sockets.filter((s) => s.retries > 0).length,
      });
    };
    const timer = setTimeout(finish, timeoutMs);
    const settle = () => {
      settled += 1;
      if (settled === n) {
        clearTimeout(timer);
        finish();
      }
    };
    // every socket created in the same tick: no lanes, no pacing
    for (let i = 0; i < n; i++) {
      const state = { replayAt: null, hadExpected: false, serverDisconnect: false, connectError: null, retries: 0, alerts: new Map() };
      const s = io(urls[i % urls.length], {
        path,
        transports: ['websocket'],
        auth: { token, lastSeq },
        // as the web client: a connection refused before the handshake (a full accept backlog,
        // "websocket error") is tried again with socket.io's backoff; a server disconnect is not
        reconnectionAttempts: 10,
        forceNew: true,
        timeout: timeoutMs,
      });
      s.io.on('reconnect_attempt', () => {
        state.retries += 1;
      });
      state.close = () => s.disconnect();
      s.once('replay', (batch) => {
        state.replayAt = nowMs();
        state.hadExpected = batch.alerts.some((a) => a.id === expectId);
        settle();
      });
      s.on('alert', (a) => state.alerts.set(a.id, nowMs()));
      s.on('disconnect', (reason) => {
        if (reason === 'io server disconnect') {
          state.serverDisconnect = true;
          if (state.replayAt === null) {
            settle();
          }
        }
      });
      s.on('connect_error', (e) => {
        state.connectError = e.message;
      });
      s.io.once('reconnect_failed', () => settle());
      sockets.push(state);
    }
  });
}

function countBy(list) {
  const out = {};
  for (const x of list) {
    out[x] = (out[x] ?? 0) + 1;
  }
  return out;
}

process.on('message', (m) => {
  (async () => {
    if (m.type === 'storm') {
      process.send({ type: 'stormed', ...(await storm(m)) });
    } else if (m.type === 'heard') {
      // who has heard alert `id`, and the latest receipt (monotonic ms, one clock on the host)
      const at = sockets.map((s) => s.alerts.get(m.id)).filter((t) => t !== undefined);
      process.send({
        type: 'heard',
        heard: at.length,
        lastAt: at.length ? Math.max(...at) : null,
        serverDisconnects: sockets.filter((s) => s.serverDisconnect).length,
      });
    } else if (m.type === 'close') {
      for (const s of sockets.splice(0)) {
        s.close();
      }
      process.send({ type: 'closed' });
    }
  })().catch((err) => process.send({ type: 'error', message: String(err?.stack ?? err) }));
});
process.send({ type: 'ready' });
