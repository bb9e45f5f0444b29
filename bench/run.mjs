#!/usr/bin/env node
// npm run bench [-- --quick] [-- --seed N] [-- --only H1,D1] [-- --label "text"] [-- --keep-services] [-- --profile]
// [-- --skip-migrate] [-- --build | --no-build] [-- --fresh-db] [-- --deadline S] [-- --budget-scale X]
// [-- --prepare]
// Starts the bench profile's PostgreSQL and Redis (scripts/services.mjs), migrates and seeds (and
// clears what earlier runs filed, bench/lib/reset.mjs),
// builds the apps if their sources changed, runs each scenario with fixed seeds and a deadline,
// writes bench/results/latest.json and bench/RESULTS.md, and stops what it started.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { down, PROFILES, serviceUrls, up } from '../scripts/services.mjs';
import { gitInfo, machineInfo, versions } from './lib/meta.mjs';
import { killGroup, liveChildren, sleep, start, stop, waitHttp } from './lib/proc.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { clearEarlierRuns } from './lib/reset.mjs';
import { deriveSeed } from './lib/stats.mjs';
import { IN_SCOPE, TARGETS } from './lib/targets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const quick = flag('--quick');
// --prepare: build and cache the large datasets only (no deadline), so a full run stays < 30 min.
const prepare = flag('--prepare');
const only = opt('--only', null)?.split(',');
const masterSeed = Number(opt('--seed', '20260601'));
const say = (m) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** Sizes and durations: quick checks the harness in < 3 min; full fits 30 min on 2 cores. */
const CFG = quick
  ? {
      mode: 'quick',
      pairs: 1,
      warmupS: 1,
      httpS: 2,
      writeS: 3,
      pgbenchS: 3,
      jobs: { noop: 1000, fnJobs: 200, latencyS: 2, enqueue: 500 },
      radio: { sizes: [100, 300], broadcasts: 6, intervalMs: 100, clientProcs: 1, steadyS: 5 },
      storm: { sockets: Number(opt('--storm-sockets', 300)), coalesce: opt('--storm-coalesce', 'true'), behind: Number(opt('--storm-behind', 200)) },
      composite: { tablets: 100, s: 3, alerts: 4 },
      queries: { incidents: 20_000, statsIncidents: 50_000 },
      packs: { big: 20, small: 4, mb: 1 },
      globalDeadlineS: 170,
    }
  : {
      mode: 'full',
      pairs: 3,
      warmupS: 3,
      httpS: 10,
      writeS: 10,
      pgbenchS: 15,
      jobs: { noop: 20000, fnJobs: 2000, latencyS: 8, enqueue: 5000 },
      radio: { sizes: [1000, 5000], broadcasts: 30, intervalMs: 200, clientProcs: 2, steadyS: 15 },
      storm: { sockets: Number(opt('--storm-sockets', 5000)), coalesce: opt('--storm-coalesce', 'true'), behind: Number(opt('--storm-behind', 200)) },
      composite: { tablets: 500, s: 15, alerts: 30 },
      queries: { incidents: 1_000_000, statsIncidents: 10_000_000 },
      packs: { big: 200, small: 20, mb: 1 },
      globalDeadlineS: 29 * 60,
    };

/** Scenario modules, in run order; each has its own deadline. */
const SCENARIOS = [
  { file: 'http.mjs', budgetS: quick ? 45 : 330 },
  { file: 'write.mjs', budgetS: quick ? 60 : 540 },
  { file: 'queue.mjs', budgetS: quick ? 25 : 150 },
  { file: 'radio.mjs', budgetS: quick ? 50 : 480 },
  { file: 'storm.mjs', budgetS: quick ? 40 : 240 },
  { file: 'composite.mjs', budgetS: quick ? 35 : 150 },
  { file: 'packs.mjs', budgetS: quick ? 30 : 180 },
  // last: on a first full run without --prepare it builds the 1M fallback dataset
  { file: 'queries.mjs', budgetS: quick ? 60 : 600 },
];

const PORTS = { api: 3490, radio1: 3491, radio2: 3492, bhttp: 3493, bpg: 3494, bws: 3495, h3: 3496, inspect: 3497, h5: 3498 };
// --profile: the api runs with its inspector open, and D1 adds a profiled run (bench/lib/profile.mjs)
const profiling = flag('--profile');
const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
const resultsDir = join(root, 'bench', 'results');
const logDir = join(resultsDir, 'logs', runId);

function appEnv(extra = {}) {
  const urls = serviceUrls('bench');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    API_HOST: '127.0.0.1',
    API_PORT: String(PORTS.api),
    CORS_ORIGINS: `http://127.0.0.1:${PORTS.api}`,
    TRUST_PROXY: '',
    ...urls,
    DB_POOL_SIZE: '10',
    REDIS_PREFIX: 'bench',
    QUEUE_CONCURRENCY: '4',
    QUEUE_LOCK_DURATION_MS: '30000',
    QUEUE_STALLED_INTERVAL_MS: '30000',
    RADIO_PORT: String(PORTS.radio1),
    RADIO_PATH: '/radio',
    RADIO_REPLAY_BATCH: '200',
    RADIO_MAX_PAYLOAD_BYTES: '16384',
    // the bench stops its apps between rows: no load balancer to drain, no probe port to claim
    SHUTDOWN_DRAIN_MS: '0',
    WORKER_HTTP_PORT: '0',
    // The composite raises one alert per measured report; the production default (30/min) would
    // refuse them. Only the bench changes it, and says so in latest.json.
    ALERT_RATE_LIMIT_PER_MINUTE: '100000',
    // D1-D3 file reports from one tablet token at the api's maximum rate (production: 60/min)
    REPORT_RATE_LIMIT_PER_MINUTE: '100000',
    JWT_SECRET: `bench-${randomBytes(24).toString('hex')}`,
    JWT_ACCESS_TTL_SECONDS: '3600',
    REFRESH_TTL_DAYS: '30',
    LOGIN_MAX_ATTEMPTS: '50',
    LOGIN_WINDOW_SECONDS: '900',
    ARGON2_MEMORY_KIB: '19456',
    AUTH_GUARD_DISABLED_FOR_TEST: 'false',
    STORAGE_DIR: '.data/bench/storage',
    EVIDENCE_MAX_BYTES: String(50 * 1024 * 1024),
    IDEMPOTENCY_RETENTION_DAYS: '30',
    IDEMPOTENCY_LOCK_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    ...extra,
  };
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) {
    return newest;
  }
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      newest = Math.max(newest, newestMtime(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

const APP_MAIN = (app) => join(root, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');

function ensureBuilt() {
  const libs = newestMtime(join(root, 'libs'));
  for (const app of ['api', 'radio', 'worker']) {
    const main = APP_MAIN(app);
    const src = Math.max(libs, newestMtime(join(root, 'apps', app, 'src')));
    if (!existsSync(main) || statSync(main).mtimeMs < src || flag('--build')) {
      say(`building ${app}`);
      const r = spawnSync('npx', ['nest', 'build', app], { stdio: 'inherit' });
      if (r.status !== 0) {
        throw new Error(`nest build ${app} failed`);
      }
    }
  }
}

function runNpm(script, env) {
  const r = spawnSync('npm', ['run', '--silent', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`npm run ${script} failed:\n${r.stdout}\n${r.stderr}`);
  }
}

/** True when a migration file of libs/database has not run on the bench database yet. */
async function pendingMigrations(url) {
  const dir = join(root, 'libs', 'database', 'src', 'migrations');
  const names = readdirSync(dir)
    .map((f) => /^(\d+)-(\w+)\.ts$/.exec(f))
    .filter(Boolean)
    .map((m) => `${m[2]}${m[1]}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const done = new Set((await c.query('SELECT name FROM migrations')).rows.map((r) => r.name));
    return names.some((n) => !done.has(n));
  } catch {
    return true;
  } finally {
    await c.end();
  }
}

/** True when the demo seed's partnerships exist (db:seed would do nothing). */
async function seeded(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT count(*)::int AS n FROM partnerships WHERE slug IN ('riverside', 'northgate')`)).rows[0].n === 2;
  } catch {
    return false;
  } finally {
    await c.end();
  }
}

function servicesAnswering() {
  const p = PROFILES.bench;
  const pgUp =
    spawnSync('/usr/lib/postgresql/15/bin/pg_isready', ['-h', '127.0.0.1', '-p', String(p.pgPort)]).status === 0;
  const redisUp =
    spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(p.redisPort), 'ping'], { encoding: 'utf8' }).stdout?.trim() ===
    'PONG';
  return { pgUp, redisUp };
}

async function main() {
  const startedAt = new Date();
  let deadline = Date.now() + (prepare ? 4 * 3600 : Number(opt('--deadline', CFG.globalDeadlineS))) * 1000;
  mkdirSync(logDir, { recursive: true });
  const doc = {
    run: {
      id: runId,
      start: startedAt.toISOString(),
      end: null,
      seconds: null,
      git: gitInfo(root),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      mode: CFG.mode,
      label: opt('--label', null),
      warnings: [],
    },
    machine: machineInfo(),
    versions: versions(root),
    config: {},
    seeds: { master: masterSeed, scenarios: {} },
    benchmarks: [],
    summary: {},
  };
  say(`run ${runId} (${CFG.mode}); logs in ${logDir}`);

  const before = servicesAnswering();
  let startedServices = false;
  const apps = {};
  const rows = new Map();
  try {
    await up('bench');
    startedServices = !before.pgUp || !before.redisUp;
    // An empty bench Redis: the queue backlog a previous run left (its reports' jobs) would
    // otherwise be worked off during this run's measurements.
    spawnSync('redis-cli', ['-p', String(PROFILES.bench.redisPort), 'flushall']);
    const env = appEnv();
    const urls = serviceUrls('bench');
    if (flag('--fresh-db')) {
      // Drops the bench database (never dev or test data) and its dataset markers.
      say('recreating the bench database');
      const admin = new pg.Client({ connectionString: urls.DATABASE_MIGRATION_URL.replace(/\/hub$/, '/postgres') });
      await admin.connect();
      // FORCE cannot end sessions of other roles (an autovacuum worker after a large delete)
      await admin.query('DROP DATABASE IF EXISTS hub WITH (FORCE)').catch((err) => {
        throw new Error(`${err.message}; try again in a minute, or: npm run services:reset -- --profile bench`);
      });
      await admin.query('CREATE DATABASE hub OWNER hub_owner');
      await admin.end();
      rmSync(join(root, '.data', 'bench', 'datasets'), { recursive: true, force: true });
    }
    say('migrating and seeding the bench database');
    if (!flag('--skip-migrate') && (await pendingMigrations(urls.DATABASE_MIGRATION_URL))) {
      runNpm('db:migrate', env);
    }
    if (!(await seeded(urls.DATABASE_MIGRATION_URL))) {
      runNpm('db:seed', env);
    }
    await clearEarlierRuns(urls.DATABASE_MIGRATION_URL, say).catch((err) =>
      doc.run.warnings.push(`what earlier runs filed could not be cleared, so this run measures a larger database: ${err.message}`),
    );
    if (flag('--no-build')) {
      doc.run.warnings.push('--no-build: the apps ran from the existing dist/ build, which may be older than the sources');
    } else {
      ensureBuilt();
    }

    const owner = new pg.Client({ connectionString: urls.DATABASE_MIGRATION_URL });
    await owner.connect();
    doc.config.postgres = Object.fromEntries(
      (
        await owner.query(
          `SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers','fsync','synchronous_commit','full_page_writes','max_parallel_workers_per_gather','max_connections','work_mem')`,
        )
      ).rows.map((r) => [r.name, r.setting]),
    );
    const redisConf = (k) =>
      spawnSync('redis-cli', ['-p', String(PROFILES.bench.redisPort), 'config', 'get', k], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[1];
    doc.config.redis = {
      appendonly: redisConf('appendonly'),
      appendfsync: redisConf('appendfsync'),
      'maxmemory-policy': redisConf('maxmemory-policy'),
    };
    doc.config.pairs = CFG.pairs;
    doc.config.sizes = CFG;
    doc.config.apps = {
      DB_POOL_SIZE: env.DB_POOL_SIZE,
      QUEUE_CONCURRENCY: env.QUEUE_CONCURRENCY,
      LOG_LEVEL: env.LOG_LEVEL,
      ALERT_RATE_LIMIT_PER_MINUTE: env.ALERT_RATE_LIMIT_PER_MINUTE,
      REPORT_RATE_LIMIT_PER_MINUTE: env.REPORT_RATE_LIMIT_PER_MINUTE,
      NODE_ENV: env.NODE_ENV,
    };
    doc.config.ports = PORTS;
    doc.config.openFilesLimit = doc.machine.openFilesLimit;

    const shopworkerOf = async (slug) =>
      (
        await owner.query(
          `SELECT u.id AS "actorId", u.partnership_id AS "partnershipId", u.store_id AS "storeId", u.email
             FROM users u JOIN partnerships p ON p.id = u.partnership_id
            WHERE p.slug = $1 AND u.role = 'shopworker'`,
          [slug],
        )
      ).rows[0];
    // The demo seed's two partnerships: Riverside for the measured traffic, Northgate for a second
    // radio room (its own store) in the fan-out rounds.
    const fixture = await shopworkerOf('riverside');
    const fixture2 = await shopworkerOf('northgate');
    const coordinator = (
      await owner.query(
        `SELECT u.email FROM users u JOIN partnerships p ON p.id = u.partnership_id WHERE p.slug = 'riverside' AND u.role = 'coordinator'`,
      )
    ).rows[0];
    await owner.end();

    // The apps under test: api and worker for the whole run; radios per scenario.
    const node = process.execPath;
    const inspect = profiling ? [`--inspect=127.0.0.1:${PORTS.inspect}`] : [];
    apps.api = start('api', node, [...inspect, APP_MAIN('api')], { env, logDir, group: 'apps' });
    apps.worker = start('worker', node, [APP_MAIN('worker')], { env, logDir, group: 'apps' });
    const apiUrl = `http://127.0.0.1:${PORTS.api}`;
    await waitHttp(`${apiUrl}/ready`, 60_000, apps.api);
    const login = async (email) => {
      const r = await fetch(`${apiUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'demo-password-2026' }),
      });
      if (!r.ok) {
        throw new Error(`login ${email}: ${r.status} ${await r.text()}`);
      }
      return (await r.json()).accessToken;
    };
    const token = await login(fixture.email);
    const token2 = await login(fixture2.email);
    const coordinatorToken = await login(coordinator.email);

    const ctx = {
      root,
      profile: profiling ? { inspectPort: PORTS.inspect, label: doc.run.label ?? runId } : null,
      quick,
      cfg: CFG,
      pairs: CFG.pairs,
      masterSeed,
      seedFor: (name) => {
        const s = deriveSeed(masterSeed, name);
        doc.seeds.scenarios[name] = s;
        return s;
      },
      env,
      urls,
      ports: PORTS,
      apiUrl,
      apps,
      logDir,
      ids: { partnershipId: fixture.partnershipId, storeId: fixture.storeId, actorId: fixture.actorId },
      token,
      token2,
      ids2: { partnershipId: fixture2.partnershipId, storeId: fixture2.storeId, actorId: fixture2.actorId },
      coordinatorToken,
      say,
      appMain: APP_MAIN,
      data: doc.config,
    };

    for (const sc of SCENARIOS) {
      if (!existsSync(join(root, 'bench', 'scenarios', sc.file))) {
        continue;
      }
      const mod = await import(`./scenarios/${sc.file}`);
      const ids = mod.IDS.filter((id) => (!only || only.includes(id)) && (!prepare || sc.file === 'queries.mjs'));
      if (!ids.length) {
        continue;
      }
      const left = Math.floor((deadline - Date.now()) / 1000);
      if (left < 10) {
        for (const id of ids) {
          rows.set(id, { id, met: 'not measured', note: 'global deadline reached before this scenario' });
        }
        continue;
      }
      // --budget-scale stretches every scenario's deadline (a busy or slower machine)
      const budget = prepare ? 4 * 3600 : Math.min(Math.round(sc.budgetS * Number(opt('--budget-scale', 1))), left);
      const group = sc.file;
      say(`scenario ${sc.file} (${ids.join(', ')}), deadline ${budget} s`);
      const t0 = Date.now();
      let timer;
      const timeout = new Promise((_, rej) => {
        timer = setTimeout(() => rej(Object.assign(new Error('timed out'), { timedOut: true })), budget * 1000);
      });
      try {
        const out = await Promise.race([
          // `requested`: the whole run's --only (null: every row), for a measure one scenario makes for another's row
          mod.run({ ...ctx, group, only: prepare ? ['Q3', 'Q4'] : ids, requested: only ?? null, prepare, record: (r) => rows.set(r.id, r) }),
          timeout,
        ]);
        for (const r of out ?? []) {
          rows.set(r.id, r);
        }
      } catch (err) {
        const killed = killGroup(group);
        const reason = err.timedOut
          ? `timed out after ${budget} s (killed ${killed.join(', ') || 'nothing'})`
          : `error: ${String(err.message).split('\n')[0]}`;
        say(`scenario ${sc.file}: ${reason}`);
        if (!err.timedOut) {
          process.stderr.write(`${err.stack}\n`);
        }
        for (const id of ids) {
          if (!rows.has(id)) {
            rows.set(id, { id, met: 'not measured', note: reason, timedOut: !!err.timedOut });
          }
        }
        if (mod.cleanup) {
          await Promise.race([mod.cleanup(ctx).catch(() => undefined), sleep(10_000)]);
        }
      } finally {
        clearTimeout(timer);
        // Anything the scenario started and left running is stopped here, by PID.
        for (const e of liveChildren().filter((c) => c.group === group)) {
          await stop(e, 3000);
        }
      }
      say(`scenario ${sc.file} done in ${Math.round((Date.now() - t0) / 1000)} s`);
      if (apps.api.exited) {
        throw new Error(`the api exited during ${sc.file}; see ${logDir}`);
      }
      if (apps.worker.exited && !doc.run.warnings.some((w) => w.startsWith('worker'))) {
        doc.run.warnings.push(`worker exited (${apps.worker.code}) by the end of ${sc.file}; see ${apps.worker.logPath}`);
        say(doc.run.warnings.at(-1));
      }
    }
  } catch (err) {
    say(`run failed: ${err.message}`);
    process.exitCode = 1;
    doc.run.error = String(err.message);
  } finally {
    for (const e of liveChildren()) {
      await stop(e, 5000);
    }
    if (startedServices && !flag('--keep-services')) {
      down('bench');
    }
  }

  // One row per target of quality.md, in its order.
  for (const [id, baselineId, target] of TARGETS) {
    const r = rows.get(id) ?? {
      id,
      met: 'not measured',
      note: IN_SCOPE.has(id) ? (only ? 'not selected (--only)' : 'scenario did not run') : 'not in the bench yet',
    };
    doc.benchmarks.push({ ...r, id, target, baselineId: r.baselineId ?? baselineId });
  }
  const end = new Date();
  doc.run.end = end.toISOString();
  doc.run.seconds = Math.round((end - startedAt) / 1000);
  const b = doc.benchmarks;
  doc.summary = {
    met: b.filter((x) => x.met === 'yes' && !x.void).length,
    missed: b.filter((x) => x.met === 'no' && !x.void).length,
    notMeasured: b.filter((x) => x.met === 'not measured').length,
    timedOut: b.filter((x) => x.timedOut).length,
    void: b.filter((x) => x.void).length,
    verdict: doc.run.error ? 'run failed' : 'complete',
  };
  if (prepare) {
    say(`datasets prepared in ${doc.run.seconds} s: ${JSON.stringify(doc.config.dataset ?? null)}`);
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(join(resultsDir, `${runId}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  const md = renderMarkdown(doc);
  writeFileSync(join(root, 'bench', 'RESULTS.md'), md);
  process.stdout.write(`\n${md}\n`);
  say(`done in ${doc.run.seconds} s: bench/results/latest.json, bench/RESULTS.md`);
}

process.on('SIGINT', () => {
  killGroup();
  process.exit(130);
});
main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  killGroup();
  process.exit(1);
});
