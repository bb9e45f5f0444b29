#!/usr/bin/env node
// npm test: install if needed, then typecheck, lint, and every jest suite (unit, integration,
// reliability, browser) against the project's own test services on this machine's Node, then the
// unit and integration suites again on Node 22 LTS (the Docker image's). `--node22-only` (npm run
// test:node22) runs every suite on Node 22 alone. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node22Bin } from './node22.mjs';
import { answering, down, ensureDebianPackages, up } from './services.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (msg) => process.stdout.write(`\n[test] ${msg}\n`);
const node22Only = process.argv[2] === '--node22-only';
const jestArgs = process.argv.slice(node22Only ? 3 : 2);
const onNode22 = process.versions.node.startsWith('22.');

function step(name, cmd, args) {
  say(name);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
  if (r.status !== 0) {
    say(`${name} failed`);
    process.exit(r.status ?? 1);
  }
}

// npm install, not npm ci: the lock (written without resolved URLs) omits other platforms' optional
// binaries, which npm ci then reports as missing.
if (!existsSync('node_modules/.package-lock.json'))
  step('installing dependencies', 'npm', ['install', '--no-audit', '--no-fund']);
// Debian tools the suites use: Redis, a real PDF reader, unzip, a browser and the compose file's
// reverse proxy (Caddy), which the topology test runs with the same Caddyfile.
ensureDebianPackages([
  { bin: 'redis-server', pkg: 'redis-server' },
  { bin: 'pdftotext', pkg: 'poppler-utils' },
  { bin: 'unzip', pkg: 'unzip' },
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: 'caddy', pkg: 'caddy' },
]);
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
step('typecheck: web client', 'npx', ['tsc', '-p', 'apps/web/tsconfig.json']);
step('lint', 'npx', ['eslint', '--max-warnings', '0', 'apps', 'libs', 'test', 'scripts']);
// the browser suite drives the built client, served by the api from apps/web/dist
step('build: web client', 'npx', [
  'vite',
  'build',
  '--config',
  'apps/web/vite.config.mts',
  '--logLevel',
  'warn',
]);
// The test services: started here (the suites' global setup reuses them) and stopped when the run
// ends, pass or fail, unless they were already running before it (a developer's own).
const before = await answering('test');
await up('test');
// Ctrl-C reaches jest too; wait for it to end, then stop the services.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// Each pass: [what it runs, the folder of the node that runs it (null: this one), jest's projects].
const passes = node22Only
  ? [['every suite on Node 22', node22Bin(root), []]]
  : [
      [`every suite on Node ${process.versions.node}`, null, []],
      ...(onNode22
        ? []
        : [['the unit and integration suites on Node 22', node22Bin(root), ['unit', 'integration']]]),
    ];
let failed = null;
for (const [name, bin, projects] of passes) {
  say(`jest: ${name}`);
  // PATH first: the apps and tools the suites start as `node` run on the same Node as jest
  const env = { ...process.env, NODE_ENV: 'test', ...(bin ? { PATH: `${bin}:${process.env.PATH}` } : {}) };
  const select = projects.length ? ['--selectProjects', ...projects] : [];
  const jest = spawnSync(
    bin ? `${bin}/node` : process.execPath,
    ['node_modules/jest/bin/jest.js', '--ci', ...select, ...jestArgs],
    { stdio: 'inherit', env },
  );
  if (jest.status !== 0) {
    failed = `jest (${name}) failed`;
    break;
  }
}
down('test', { pg: !before.pg, redis: !before.redis });
if (failed) {
  say(failed);
  process.exit(1);
}
say('all green');
