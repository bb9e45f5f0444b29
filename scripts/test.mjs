#!/usr/bin/env node
// npm test: install if needed, then typecheck, lint, and every jest suite (unit, integration,
// socket, browser) against the project's own test services. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answering, down, ensureDebianPackages, up } from './services.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (msg) => process.stdout.write(`\n[test] ${msg}\n`);

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
say('jest: unit, integration, socket and browser suites');
const jest = spawnSync('npx', ['jest', '--ci', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
down('test', { pg: !before.pg, redis: !before.redis });
if (jest.status !== 0) {
  say('jest failed');
  process.exit(jest.status ?? 1);
}
say('all green');
