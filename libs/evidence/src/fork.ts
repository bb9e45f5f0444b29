import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PackPlan, PackProgress, PackResult } from './plan';

type ChildMessage = PackProgress | { type: 'done'; result: PackResult } | { type: 'failed'; message: string };

export class PackBuildError extends Error {}

/**
 * Builds a pack in a child process (`pack-child`), passing only plain data. From compiled code it
 * forks the .js beside this file; from TypeScript sources (tests, ts-node) it forks the .ts with
 * ts-node's SWC transpiler. The child runs at the lowest CPU priority (see pack-child). A child that
 * dies or exceeds `timeoutMs` fails the build.
 */
export function buildPackInChildProcess(
  plan: PackPlan,
  opts: { onProgress?: (p: PackProgress) => void; timeoutMs?: number; maxOldSpaceMb?: number } = {},
): Promise<PackResult> {
  const js = join(__dirname, 'pack-child.js');
  const fromSource = !existsSync(js);
  const entry = fromSource ? join(__dirname, 'pack-child.ts') : js;
  const execArgv = [
    `--max-old-space-size=${opts.maxOldSpaceMb ?? 256}`,
    // V8 grows its young generation to 16 MB a half as garbage flows, and every byte of a pack
    // passes through as a chunk: capped, the builder's memory stays flat with the pack's size
    // (E2: 92 MB for 200 × 1 MB against 89 MB for 20 × 1 MB; 120 against 96 uncapped) and runs faster.
    '--max-semi-space-size=2',
    ...(fromSource ? ['-r', 'ts-node/register/transpile-only'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = fork(entry, [], {
      execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    let settled = false;
    const finish = (err: Error | null, result?: PackResult) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
      if (err) {
        reject(err);
      } else {
        resolve(result!);
      }
    };
    const timer = setTimeout(
      () => finish(new PackBuildError(`the pack builder took longer than ${opts.timeoutMs} ms`)),
      opts.timeoutMs ?? 30 * 60_000,
    );
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'progress') {
        opts.onProgress?.(m);
      } else if (m.type === 'done') {
        finish(null, m.result);
      } else {
        finish(new PackBuildError(m.message));
      }
    });
    child.on('error', (err) => finish(err));
    child.on('exit', (code, signal) =>
      finish(
        new PackBuildError(`the pack builder exited (${signal ?? code}) before finishing: ${stderr.trim()}`),
      ),
    );
    child.send(plan);
  });
}
