#!/usr/bin/env node
// npm run test:reliability: the full reliability, security and privacy programme (quality.md 3-8).
// Runs the `reliability` jest project with RELIABILITY_MODE=full, plus the evidence tamper suite
// (E1b/E1c, libs/evidence) and the statistics suppression suite (P1), then merges every test's
// results part into test/results/<run id>.json (run, machine, versions, config, seeds, per test
// counts and negative-control outcomes, summary). Bounded: the whole run has a deadline.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { gitInfo, machineInfo, versions } from '../../bench/lib/meta.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
const quick = process.argv.includes('--quick');
// --soak: the nightly R6 soak alone (test/reliability/*.soak-spec.ts, never matched by the default
// testMatch, so it is neither run nor listed as skipped in `npm test` or the programme)
const soak = process.argv.includes('--soak');
const mode = quick ? 'quick' : 'full';
const seed = Number(process.env.RELIABILITY_SEED ?? 20261123);
const started = new Date();
const id = `${started.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
const runDir = join(tmpdir(), `hub-reliability-${id}`);
mkdirSync(join(runDir, 'parts'), { recursive: true });
const DEADLINE_MS = (soak ? 45 : 25) * 60_000;
const env = {
  ...process.env,
  NODE_ENV: 'test',
  RELIABILITY_MODE: mode,
  RELIABILITY_SEED: String(seed),
  RELIABILITY_RUN_DIR: runDir,
  ...(soak ? { RELIABILITY_SOAK: '1' } : {}),
};

function run(name, args) {
  return new Promise((resolveRun) => {
    const t0 = Date.now();
    process.stdout.write(`\n[reliability] ${name}: npx ${args.join(' ')}\n`);
    const child = spawn('npx', args, { stdio: 'inherit', env, detached: true });
    const left = DEADLINE_MS - (Date.now() - started.getTime());
    const timer = setTimeout(
      () => {
        process.stdout.write(`[reliability] ${name} timed out; killing pid ${child.pid}\n`);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      },
      Math.max(1000, left),
    );
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolveRun({
        name,
        exitCode: code,
        signal,
        timedOut: signal === 'SIGKILL',
        durationMs: Date.now() - t0,
      });
    });
  });
}

const suites = [];
if (soak) {
  suites.push(
    await run('R6 nightly soak', [
      'jest',
      '--ci',
      '--forceExit',
      '--selectProjects',
      'reliability',
      '--testMatch',
      '<rootDir>/test/reliability/**/*.soak-spec.ts',
      '--runInBand',
    ]),
  );
} else {
  suites.push(
    await run('programme', ['jest', '--ci', '--forceExit', '--selectProjects', 'reliability', '--runInBand']),
  );
  suites.push(
    await run('E1b/E1c evidence tamper and independent check (libs/evidence)', [
      'jest',
      '--ci',
      '--forceExit',
      'libs/evidence/src/pack.spec.ts',
      '--selectProjects',
      'unit',
    ]),
  );
  suites.push(
    await run('P1 statistics suppression and differencing (apps/api/test/stats.e2e-spec.ts)', [
      'jest',
      '--ci',
      '--forceExit',
      'apps/api/test/stats.e2e-spec.ts',
      '--selectProjects',
      'integration',
    ]),
  );
}

const tests = existsSync(join(runDir, 'parts'))
  ? readdirSync(join(runDir, 'parts'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(runDir, 'parts', f), 'utf8')))
  : [];
const outDir = join(root, 'test', 'results');
const histDir = join(outDir, 'history', id);
mkdirSync(histDir, { recursive: true });
for (const t of tests) {
  if (t.historyFile && existsSync(t.historyFile)) {
    // gzipped: the radio histories run to tens of MB each (zcat to read)
    const dest = join(histDir, `${t.id}.jsonl.gz`);
    writeFileSync(dest, gzipSync(readFileSync(t.historyFile)));
    t.historyFile = dest.slice(root.length + 1);
  }
}
const controls = tests.flatMap((t) => t.negativeControls ?? []);
const ended = new Date();
const result = {
  run: {
    id,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    git: gitInfo(root),
    command: `npm run test:reliability${quick ? ' -- --quick' : soak ? ' -- --soak' : ''}`,
    mode: soak ? 'nightly' : mode,
  },
  machine: machineInfo(),
  versions: versions(root),
  config: {
    postgresql:
      'fsync=on, synchronous_commit=on, full_page_writes=on (shared test cluster; R4 uses its own cluster)',
    redis: 'appendonly yes, appendfsync everysec (OwnRedis); shared test Redis for the rest',
    timingProfile: 'BullMQ test profile: lockDuration 2000 ms, stalledInterval 500 ms',
  },
  seeds: { master: seed, perTest: Object.fromEntries(tests.map((t) => [t.id, t.seed])) },
  suites,
  tests,
  summary: {
    tests: tests.length,
    passed: tests.filter((t) => t.passed).length,
    failed: tests.filter((t) => !t.passed).map((t) => t.id),
    negativeControls: controls.length,
    controlsCaught: controls.filter((c) => c.caught).length,
    suitesFailed: suites.filter((s) => s.exitCode !== 0).map((s) => s.name),
    verdict:
      controls.every((c) => c.caught) && tests.every((t) => t.passed) && suites.every((s) => s.exitCode === 0)
        ? 'pass'
        : controls.every((c) => c.caught)
          ? 'fail'
          : 'invalid (a negative control was not caught)',
  },
};
const file = join(outDir, `${id}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(outDir, soak ? 'latest-nightly.json' : 'latest.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);
process.stdout.write(
  `\n[reliability] ${result.summary.verdict}: results in ${file.slice(root.length + 1)}\n`,
);
process.exit(result.summary.verdict === 'pass' ? 0 : 1);
