#!/usr/bin/env node
// The project's own PostgreSQL 15 and Redis 7 on loopback, data under .data/<profile>/.
// Usage: node scripts/services.mjs up|down|status|reset|env [--profile dev|test|bench]
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// HUB_PORT_OFFSET shifts every profile's ports, so two checkouts (or a CI run beside a developer's
// tests) each get services of their own.
const offset = Number(process.env.HUB_PORT_OFFSET ?? 0);
export const PROFILES = {
  dev: { pgPort: 54329 + offset, redisPort: 63799 + offset, database: 'hub' },
  test: { pgPort: 54339 + offset, redisPort: 63809 + offset, database: 'hub' },
  bench: { pgPort: 54349 + offset, redisPort: 63819 + offset, database: 'hub' },
};

export function serviceUrls(profile) {
  const p = PROFILES[profile];
  return {
    DATABASE_URL: `postgres://hub_app:hub_app@127.0.0.1:${p.pgPort}/${p.database}`,
    DATABASE_MIGRATION_URL: `postgres://hub_owner:hub_owner@127.0.0.1:${p.pgPort}/${p.database}`,
    REDIS_URL: `redis://127.0.0.1:${p.redisPort}`,
  };
}

const isRoot = process.getuid?.() === 0;
const say = (msg) => process.stderr.write(`[services] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function whichBin(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function pgBinDir() {
  for (const dir of ['/usr/lib/postgresql/15/bin', '/usr/local/pgsql/bin']) {
    if (existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const cfg = whichBin('pg_config');
  if (cfg) {
    const dir = execFileSync(cfg, ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

/** Installs Debian packages when missing and we are root; otherwise says what to install. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter(({ bin }) => !whichBin(bin) && !existsSync(bin));
  if (!missing.length) return;
  const names = missing.map((m) => m.pkg).join(' ');
  if (!isRoot) {
    throw new Error(`Missing ${names}. Install with: sudo apt-get install -y ${names}`);
  }
  say(`installing Debian packages: ${names}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing.map((m) => m.pkg)], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing.map((m) => m.pkg)], {
      stdio: 'inherit',
      env,
    });
  }
  if (r.status !== 0) throw new Error(`apt-get install ${names} failed`);
}

function asPostgres(bin, args, opts = {}) {
  const cmd = isRoot ? 'runuser' : bin;
  const full = isRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  return spawnSync(cmd, full, { encoding: 'utf8', ...opts });
}

/** PostgreSQL refuses to run as root, so under root the postgres user must reach .data/. */
function letPostgresTraverse(dir) {
  if (!isRoot) return;
  for (let d = dir; d !== '/'; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
  }
}

function paths(profile) {
  const base = join(root, '.data', offset ? `${profile}-${offset}` : profile);
  return {
    base,
    pgData: join(base, 'pg'),
    pgRun: join(base, 'run'),
    pgLog: join(base, 'postgres.log'),
    redisDir: join(base, 'redis'),
    redisPid: join(base, 'redis', 'redis.pid'),
    redisLog: join(base, 'redis', 'redis.log'),
  };
}

function pgRunning(bin, p) {
  return (
    existsSync(join(p.pgData, 'PG_VERSION')) &&
    asPostgres(join(bin, 'pg_ctl'), ['-D', p.pgData, 'status']).status === 0
  );
}

function psql(bin, p, port, sql, db = 'postgres') {
  const r = asPostgres(join(bin, 'psql'), [
    '-h',
    p.pgRun,
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    db,
    '-v',
    'ON_ERROR_STOP=1',
    '-qAt',
    '-c',
    sql,
  ]);
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function upPostgres(profile) {
  const bin = pgBinDir();
  if (!bin)
    throw new Error('PostgreSQL 15 binaries not found. Install with: sudo apt-get install -y postgresql-15');
  const { pgPort } = PROFILES[profile];
  const p = paths(profile);
  const answering =
    asPostgres(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort)]).status === 0;
  if (answering && !pgRunning(bin, p)) {
    // Another checkout of the hub (same roles, same ports) already serves this profile.
    say(`reusing the PostgreSQL already listening on 127.0.0.1:${pgPort}`);
    return;
  }
  mkdirSync(p.base, { recursive: true });
  letPostgresTraverse(p.base);
  if (!existsSync(join(p.pgData, 'PG_VERSION'))) {
    say(`initialising PostgreSQL (${profile}) in ${p.pgData}`);
    for (const d of [p.pgData, p.pgRun]) {
      mkdirSync(d, { recursive: true });
      if (isRoot) execFileSync('chown', ['postgres:postgres', d]);
    }
    chmodSync(p.pgData, 0o700);
    const r = asPostgres(join(bin, 'initdb'), [
      '-D',
      p.pgData,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  }
  if (!pgRunning(bin, p)) {
    say(`starting PostgreSQL (${profile}) on 127.0.0.1:${pgPort}`);
    const opts = [
      `-c listen_addresses=127.0.0.1`,
      `-c port=${pgPort}`,
      `-c unix_socket_directories=${p.pgRun}`,
      '-c fsync=on',
      '-c synchronous_commit=on',
      '-c full_page_writes=on',
      '-c max_connections=300',
      '-c shared_buffers=256MB',
      // the bench profiles the database's statements (npm run bench -- --profile)
      ...(profile === 'bench' ? ['-c shared_preload_libraries=pg_stat_statements'] : []),
    ].join(' ');
    if (isRoot && existsSync(p.pgLog)) execFileSync('chown', ['postgres:postgres', p.pgLog]);
    if (isRoot && !existsSync(p.pgLog)) {
      writeFileSync(p.pgLog, '');
      execFileSync('chown', ['postgres:postgres', p.pgLog]);
    }
    const r = asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      p.pgData,
      '-l',
      p.pgLog,
      '-o',
      opts,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    if (r.status !== 0) throw new Error(`PostgreSQL did not start (see ${p.pgLog}): ${r.stderr}${r.stdout}`);
  }
  for (let i = 0; i < 60; i++) {
    if (asPostgres(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort)]).status === 0) break;
    await sleep(500);
  }
  // Roles: the owner runs migrations; the app role owns nothing, so row-level security applies to it.
  psql(
    bin,
    p,
    pgPort,
    `DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub_owner') THEN CREATE ROLE hub_owner LOGIN CREATEDB PASSWORD 'hub_owner'; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub_app') THEN CREATE ROLE hub_app LOGIN NOBYPASSRLS PASSWORD 'hub_app'; END IF;
  END $$;`,
  );
  const db = PROFILES[profile].database;
  if (!psql(bin, p, pgPort, `SELECT 1 FROM pg_database WHERE datname = '${db}'`)) {
    psql(bin, p, pgPort, `CREATE DATABASE ${db} OWNER hub_owner`);
  }
  if (profile === 'bench') {
    psql(bin, p, pgPort, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements', db);
    psql(bin, p, pgPort, 'GRANT pg_read_all_stats TO hub_owner');
    psql(bin, p, pgPort, 'GRANT EXECUTE ON FUNCTION pg_stat_statements_reset TO hub_owner', db);
  }
}

async function redisAnswers(port) {
  const cli = whichBin('redis-cli');
  return (
    !!cli &&
    spawnSync(cli, ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() ===
      'PONG'
  );
}

async function upRedis(profile) {
  ensureDebianPackages([{ bin: 'redis-server', pkg: 'redis-server' }]);
  const { redisPort } = PROFILES[profile];
  const p = paths(profile);
  mkdirSync(p.redisDir, { recursive: true });
  if (await redisAnswers(redisPort)) return;
  say(`starting Redis (${profile}) on 127.0.0.1:${redisPort}`);
  const r = spawnSync(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(redisPort),
      '--dir',
      p.redisDir,
      '--daemonize',
      'yes',
      '--pidfile',
      p.redisPid,
      '--logfile',
      p.redisLog,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`redis-server did not start: ${r.stderr}`);
  for (let i = 0; i < 60; i++) {
    if (await redisAnswers(redisPort)) return;
    await sleep(250);
  }
  throw new Error(`Redis did not answer on ${redisPort} (see ${p.redisLog})`);
}

export async function up(profile) {
  await upPostgres(profile);
  await upRedis(profile);
  say(`${profile} services ready`);
}

/** Stops the profile's PostgreSQL and Redis (or only those named in `which`). */
export function down(profile, which = { pg: true, redis: true }) {
  const p = paths(profile);
  const bin = pgBinDir();
  if (which.pg && bin && pgRunning(bin, p)) {
    asPostgres(join(bin, 'pg_ctl'), ['-D', p.pgData, '-m', 'fast', '-w', 'stop']);
    say(`stopped PostgreSQL (${profile})`);
  }
  const cli = whichBin('redis-cli');
  if (
    which.redis &&
    cli &&
    spawnSync(cli, ['-p', String(PROFILES[profile].redisPort), 'shutdown'], { encoding: 'utf8' }).status === 0
  ) {
    say(`stopped Redis (${profile})`);
  }
}

/** Which of the profile's services answer now (so a caller stops only what it started). */
export async function answering(profile) {
  const bin = pgBinDir();
  const pg =
    !!bin &&
    asPostgres(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(PROFILES[profile].pgPort)])
      .status === 0;
  return { pg, redis: await redisAnswers(PROFILES[profile].redisPort) };
}

function status(profile) {
  const p = paths(profile);
  const bin = pgBinDir();
  const pg = bin && pgRunning(bin, p) ? 'running' : 'stopped';
  const cli = whichBin('redis-cli');
  const rd =
    cli &&
    spawnSync(cli, ['-p', String(PROFILES[profile].redisPort), 'ping'], {
      encoding: 'utf8',
    }).stdout?.trim() === 'PONG'
      ? 'running'
      : 'stopped';
  console.log(
    `${profile}: postgres ${pg} (127.0.0.1:${PROFILES[profile].pgPort}), redis ${rd} (127.0.0.1:${PROFILES[profile].redisPort})`,
  );
}

async function main() {
  const [cmd = 'status', ...rest] = process.argv.slice(2);
  const i = rest.indexOf('--profile');
  const profile = i >= 0 ? rest[i + 1] : 'dev';
  if (!PROFILES[profile]) throw new Error(`unknown profile ${profile}`);
  switch (cmd) {
    case 'up':
      return up(profile);
    case 'down':
      return down(profile);
    case 'status':
      return status(profile);
    case 'env':
      return Object.entries(serviceUrls(profile)).forEach(([k, v]) => console.log(`${k}=${v}`));
    case 'reset':
      down(profile);
      rmSync(paths(profile).base, { recursive: true, force: true });
      say(`removed .data/${profile}`);
      return;
    default:
      throw new Error(`usage: services.mjs up|down|status|reset|env [--profile dev|test|bench]`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    say(err.message);
    process.exit(1);
  });
}
