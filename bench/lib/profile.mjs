// `npm run bench -- --profile`: what a scenario's time goes to. The api's CPU by package and
// function (V8's sampling profiler, through the inspector the api was started with), the
// database's statements (pg_stat_statements) and what its active backends wait on
// (pg_stat_activity, sampled), and the CPU of api, worker and PostgreSQL processes.
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import WebSocket from 'ws';
import { cpuSeconds } from './proc.mjs';
import { round } from './stats.mjs';

const TOP = 20;

/** Connects to a process's inspector; `start()` then `stop()` returns the V8 CPU profile. */
export async function cpuProfiler(inspectPort) {
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await once(ws, 'open');
  let seq = 0;
  const waiting = new Map();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      waiting.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 250 });
  return {
    start: () => send('Profiler.start'),
    async stop() {
      const { profile } = await send('Profiler.stop');
      ws.close();
      return profile;
    },
  };
}

/** Where a sampled frame's code lives: an npm package, a lib or api feature, Node, or V8's own. */
function placeOf({ url, functionName }) {
  if (!url) {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    return pkg[1];
  }
  const own = /dist\/apps\/[^/]+\/(apps\/[^/]+\/src|libs\/[^/]+)\/?([^/]*)/.exec(url);
  if (own) {
    return own[1].startsWith('libs') ? own[1] : `${own[1].replace('/src', '')}/${own[2]}`;
  }
  return url.startsWith('node:') ? 'node (built-in modules)' : url;
}

/** Self time by place and by function, in percent of all samples. */
export function summariseCpu(profile) {
  const hits = new Map();
  for (const s of profile.samples) {
    hits.set(s, (hits.get(s) ?? 0) + 1);
  }
  const byPlace = new Map();
  const byFunction = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  for (const n of profile.nodes) {
    const h = hits.get(n.id);
    if (!h) {
      continue;
    }
    const place = placeOf(n.callFrame);
    add(byPlace, place, h);
    add(byFunction, `${n.callFrame.functionName || '(anonymous)'} (${place})`, h);
  }
  const total = profile.samples.length;
  const top = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([what, h]) => ({ what, pct: round((100 * h) / total, 1) }));
  return { samples: total, byPlace: top(byPlace), byFunction: top(byFunction) };
}

/** PIDs of every PostgreSQL process of the machine (the bench's cluster is the only busy one). */
function postgresPids() {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Samples the database while `work` runs: statements reset before, wait events every 50 ms, CPU of
 * the given processes and of PostgreSQL. Resolves with `work`'s result and the profile.
 */
export async function profileDatabase(ownerUrl, pids, work) {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query('SELECT pg_stat_statements_reset()');
    const waits = new Map();
    let samples = 0;
    let sampling = Promise.resolve();
    const timer = setInterval(() => {
      sampling = sampling.then(async () => {
        const { rows } = await db.query(
          `SELECT CASE WHEN state <> 'active' THEN 'idle in transaction (waiting for the app)'
                       ELSE coalesce(wait_event_type || ':' || wait_event, 'on CPU') END AS w,
                  count(*)::int AS n
             FROM pg_stat_activity
            WHERE datname = current_database() AND state IN ('active', 'idle in transaction')
              AND pid <> pg_backend_pid()
            GROUP BY 1`,
        );
        samples++;
        for (const r of rows) {
          waits.set(r.w, (waits.get(r.w) ?? 0) + r.n);
        }
      });
    }, 50);
    const pg0 = postgresPids();
    const before = [...pids, ...pg0].map(cpuSeconds);
    const t0 = process.hrtime.bigint();
    let result;
    try {
      result = await work();
    } finally {
      clearInterval(timer);
      await sampling;
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const after = [...pids, ...pg0].map(cpuSeconds);
    const cpu = (i) => (after[i] === null || before[i] === null ? 0 : after[i] - before[i]);
    const pct = (s) => round((100 * s) / secs, 1);
    const { rows: statements } = await db.query(
      `SELECT calls::int, round(total_exec_time)::int AS total_ms, round(mean_exec_time::numeric, 3)::float AS mean_ms,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC`,
    );
    const activeSamples = [...waits.values()].reduce((a, b) => a + b, 0);
    return {
      result,
      profile: {
        seconds: round(secs, 1),
        cpuPct: {
          ...Object.fromEntries(pids.map((_, i) => [`process ${i}`, pct(cpu(i))])),
          postgres: pct(pg0.reduce((s, _, i) => s + cpu(pids.length + i), 0)),
        },
        statements: {
          calls: statements.reduce((s, r) => s + r.calls, 0),
          top: statements.slice(0, TOP),
        },
        waits: {
          samples,
          meanActiveBackends: round(activeSamples / Math.max(1, samples), 2),
          top: [...waits]
            .sort((a, b) => b[1] - a[1])
            .slice(0, TOP)
            .map(([what, n]) => ({ what, pct: round((100 * n) / Math.max(1, activeSamples), 1) })),
        },
      },
    };
  } finally {
    await db.end();
  }
}

/** The profile as Markdown, for bench/PROFILE.md. */
export function profileMarkdown(title, requests, { cpu, db, processNames }) {
  const lines = [`### ${title}`, ''];
  const names = Object.entries(db.cpuPct).map(([k, v]) => `${processNames[k] ?? k} ${v}%`);
  lines.push(`${db.seconds} s under load, ${requests} requests answered. CPU (100% = one core): ${names.join(', ')}.`);
  lines.push(
    `Database statements: ${db.statements.calls} (${round(db.statements.calls / Math.max(1, requests), 1)} per request, worker included); backends in a transaction on average ${db.waits.meanActiveBackends}.`,
    '',
  );
  const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''];
  lines.push('api CPU by place (self time):', '', ...table(['Place', '%'], cpu.byPlace.map((r) => [r.what, r.pct])));
  lines.push('api CPU by function (self time):', '', ...table(['Function', '%'], cpu.byFunction.map((r) => [`\`${r.what}\``, r.pct])));
  lines.push('What database backends in a transaction were doing (sampled every 50 ms):', '', ...table(['State', '%'], db.waits.top.map((r) => [r.what, r.pct])));
  lines.push(
    'Statements by total time:',
    '',
    ...table(
      ['Calls', 'Total ms', 'Mean ms', 'Statement'],
      db.statements.top.map((r) => [r.calls, r.total_ms, r.mean_ms, `\`${r.query.replace(/\|/g, '\\|')}\``]),
    ),
  );
  return lines.join('\n');
}
