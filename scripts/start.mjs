#!/usr/bin/env node
// npm start: install if needed, start the project's PostgreSQL and Redis (unless you point
// DATABASE_URL / REDIS_URL elsewhere), migrate, seed the demo, build, and run api, worker and two
// radio instances. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEnvFile } from './env-file.mjs';
import { down, serviceUrls, up } from './services.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (msg) => process.stdout.write(`[start] ${msg}\n`);

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

export function ensureInstalled() {
  if (!existsSync('node_modules/.package-lock.json')) {
    say('installing dependencies');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

async function main() {
  ensureInstalled();
  const made = ensureEnvFile(root);
  if (made) say(made);
  process.loadEnvFile('.env');
  // npm start is the development path; the apps alone default to production
  process.env.NODE_ENV ??= 'development';
  const managed = serviceUrls('dev');
  const ownServices =
    process.env.DATABASE_URL === managed.DATABASE_URL || process.env.REDIS_URL === managed.REDIS_URL;
  if (ownServices) await up('dev');
  else say('DATABASE_URL and REDIS_URL point elsewhere: not starting local services');

  say('migrating');
  run('npm', ['run', '--silent', 'db:migrate']);
  run('npm', ['run', '--silent', 'db:seed']);
  say('building');
  run('npm', ['run', '--silent', 'build']);

  const radioPort = Number(process.env.RADIO_PORT ?? 3001);
  const apps = [
    ['api', 'dist/apps/api/apps/api/src/main.js', {}],
    ['worker', 'dist/apps/worker/apps/worker/src/main.js', {}],
    ['radio-1', 'dist/apps/radio/apps/radio/src/main.js', { RADIO_PORT: String(radioPort) }],
    ['radio-2', 'dist/apps/radio/apps/radio/src/main.js', { RADIO_PORT: String(radioPort + 1) }],
  ];
  const children = apps.map(([name, file, env]) => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = (chunk) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => process.stdout.write(`${name.padEnd(7)} | ${line}\n`));
    child.stdout.on('data', prefix);
    child.stderr.on('data', prefix);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        say(`${name} exited (${signal ?? code}); stopping everything`);
        void stop(1);
      }
    });
    return child;
  });

  let stopping = false;
  async function stop(code = 0) {
    if (stopping) return;
    stopping = true;
    say('stopping apps');
    await Promise.all(
      children.map(
        (c) =>
          new Promise((r) => {
            if (c.exitCode !== null) return r();
            c.once('exit', r);
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    if (ownServices) down('dev');
    process.exit(code);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const url = `http://${process.env.API_HOST ?? '127.0.0.1'}:${process.env.API_PORT ?? 3000}`;
  for (let i = 0; i < 120 && !stopping; i++) {
    const ok = await fetch(`${url}/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) {
      const { demoLogins } = await import('./demo-logins.mjs');
      say(
        `ready: ${url}  (API docs ${url}/api/docs, radio ws://127.0.0.1:${radioPort}${process.env.RADIO_PATH ?? '/radio'} and :${radioPort + 1})`,
      );
      say('demo logins (password for all: demo-password-2026):');
      for (const l of demoLogins()) say(`  ${l.role.padEnd(14)} ${l.email}`);
      say('press Ctrl-C to stop');
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!stopping) say('api did not become ready; see the log above');
}

main().catch((err) => {
  process.stderr.write(`[start] ${err.message}\n`);
  process.exit(1);
});
