// W9 connection storm: N tablets (one store's shopworker token) connect at once to two radio
// instances, as after a radio restart or a network blip, each asking for the replay after the
// alert before the last one. A connection refused before the handshake (a full accept backlog) is
// tried again as the web client does; a server disconnect is not. Measured: time until every
// socket has its replay (holding that last alert), then time from the next alert's 201 until every
// socket heard it live (api -> outbox -> worker relay -> Redis adapter -> both radios), and the
// sockets the server disconnected (must be 0). The radios run with the bench's DB_POOL_SIZE (10).
import { fmt, startApp, startServer, yesNo } from '../lib/harness.mjs';
import { ask, nextMessage, sleep, stop, waitHttp } from '../lib/proc.mjs';
import { round } from '../lib/stats.mjs';

export const IDS = ['W9'];
const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

export async function run(ctx) {
  const { cfg } = ctx;
  const n = cfg.storm.sockets;
  const path = ctx.env.RADIO_PATH;
  const r1 = `http://127.0.0.1:${ctx.ports.radio1}`;
  const r2 = `http://127.0.0.1:${ctx.ports.radio2}`;
  // --storm-coalesce false: the radios' old replay path (a query per socket, unqueued), a control
  const control = cfg.storm.coalesce === 'false';
  const radioEnv = { RADIO_REPLAY_COALESCE: control ? 'false' : 'true' };
  const radio1 = await startApp(ctx, 'radio-1', 'radio', { ...radioEnv, RADIO_PORT: String(ctx.ports.radio1) });
  const radio2 = await startApp(ctx, 'radio-2', 'radio', { ...radioEnv, RADIO_PORT: String(ctx.ports.radio2) });
  await waitHttp(`${r1}${path}/`, 60_000, radio1, { anyStatus: true });
  await waitHttp(`${r2}${path}/`, 60_000, radio2, { anyStatus: true });
  const procs = [];
  for (let i = 0; i < cfg.radio.clientProcs; i++) {
    const p = await startServer(ctx, `storm-clients-${i}`, 'lib/storm-clients.mjs', {}, { ipc: true });
    await nextMessage(p, 'ready', 30_000);
    procs.push(p);
  }
  const raise = async (message) => {
    const res = await fetch(`${ctx.apiUrl}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.coordinatorToken}` },
      body: JSON.stringify({ type: 'information', message, target: { kind: 'partnership' } }),
    });
    if (res.status !== 201) {
      throw new Error(`raise alert: ${res.status} ${await res.text()}`);
    }
    const at = nowMs();
    return { ...(await res.json()), at };
  };
  const replayQueries = async () => {
    let total = 0;
    for (const url of [r1, r2]) {
      const text = await (await fetch(`${url}/metrics`)).text();
      total += Number(/^radio_replay_queries_total (\d+)/m.exec(text)?.[1] ?? NaN);
    }
    return total;
  };
  try {
    // --storm-behind K: each socket is K alerts behind (its replay carries K alerts, at most a batch)
    const behind = Math.max(1, Math.min(cfg.storm.behind, Number(ctx.env.RADIO_REPLAY_BATCH)));
    for (let i = 1; i < behind; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, behind - i) }, (_, j) => raise(`W9: missed ${i + j}`)));
    }
    const before = await raise('W9: before the storm');
    const queries0 = await replayQueries();
    ctx.say(`storm: ${n} sockets at once on two radios`);
    const per = Math.ceil(n / procs.length);
    const t0 = nowMs();
    const rs = await Promise.all(
      procs.map((p, i) =>
        ask(
          p,
          {
            type: 'storm',
            urls: [r1, r2],
            n: Math.min(per, n - i * per),
            token: ctx.token,
            path,
            lastSeq: Number(before.seq) - behind,
            expectId: before.id,
          },
          'stormed',
          200_000,
        ),
      ),
    );
    const replayAllMs = nowMs() - t0;
    const sum = (k) => rs.reduce((a, r) => a + r[k], 0);
    const replayed = sum('replayed');
    const withExpected = sum('withExpected');
    const connectErrors = Object.assign({}, ...rs.map((r) => r.connectErrors));
    const queries = (await replayQueries()) - queries0;
    ctx.say(`storm: ${replayed}/${n} replayed in ${round(replayAllMs, 0)} ms, ${queries} replay queries`);

    const next = await raise('W9: after the storm');
    let heard;
    const until = Date.now() + 15_000;
    for (;;) {
      await sleep(100);
      heard = await Promise.all(procs.map((p) => ask(p, { type: 'heard', id: next.id }, 'heard', 30_000)));
      if (heard.reduce((a, h) => a + h.heard, 0) >= n || Date.now() > until) {
        break;
      }
    }
    const heardN = heard.reduce((a, h) => a + h.heard, 0);
    const lastHeardMs = Math.max(...heard.map((h) => h.lastAt ?? -Infinity)) - next.at;
    const serverDisconnects = Math.max(
      sum('serverDisconnects'),
      heard.reduce((a, h) => a + h.serverDisconnects, 0),
    );
    const figures = {
      sockets: n,
      replayed,
      withExpected,
      replayAllMs: round(replayAllMs, 1),
      replayQueries: queries,
      alertsPerReplay: behind,
      heard: heardN,
      alertLastHeardMsAfter201: round(lastHeardMs, 1),
      serverDisconnects,
      connectErrors,
      socketsRetried: sum('socketsRetried'),
      connectRetries: sum('connectRetries'),
    };
    const quickNote = `${ctx.quick ? ` (quick run: N=${n} stands in for 5,000)` : ''}${control ? '; CONTROL: RADIO_REPLAY_COALESCE=false (the old path)' : ''}`;
    return [
      {
        id: 'W9',
        baselineText: 'absolute',
        measuredText: `N=${n}, ${behind} alert(s) behind: ${replayed}/${n} replayed (${withExpected} with the last alert) within ${fmt(replayAllMs / 1000, ' s', 2)}; next alert heard by ${heardN}/${n}, the last ${fmt(lastHeardMs, ' ms', 0)} after its 201; ${serverDisconnects} disconnected by the server; ${figures.socketsRetried} connected at a retry (refused before the handshake)`,
        ratioText: `${queries} replay queries for ${n} sockets`,
        met: yesNo(
          replayed === n && withExpected === n && heardN === n && serverDisconnects === 0 && !Object.keys(connectErrors).length,
        ),
        figures,
        note: `every socket created in the same tick (a connection refused before the handshake is tried again with socket.io's backoff, as the web client does), ${procs.length} client process(es), one store's shopworker token, two radios with DB_POOL_SIZE=${ctx.env.DB_POOL_SIZE}${quickNote}`,
      },
    ];
  } finally {
    for (const p of procs) {
      await ask(p, { type: 'close' }, 'closed', 30_000).catch(() => {});
      await stop(p);
    }
    await stop(radio1);
    await stop(radio2);
  }
}
