/*
 * E2 subject, run through ts-node (bench/scenarios/packs.mjs forks it): the evidence pack builder
 * of libs/evidence (buildPackInChildProcess: PDFs + yazl ZIP in its own process, which reports its
 * peak RSS) on a case with `count` exhibits of `size` bytes, vs B-copy: createReadStream ->
 * createWriteStream of the same exhibit bytes into one file. The case is the pack tests' own
 * sample plan (libs/evidence/src/pack.spec.ts samplePlan), loaded with test globals stubbed out.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PackPlan } from '@app/evidence';

// The compiled builder (as the apps run it: it forks the compiled pack-child.js); the TypeScript
// one would fork through ts-node and add its start-up to every pack.
const { buildPackInChildProcess } = require(join(process.env.BENCH_ROOT ?? '.', 'dist/apps/api/libs/evidence/src/fork.js')) as {
  buildPackInChildProcess: (plan: PackPlan, o: { timeoutMs: number }) => Promise<{ maxRssBytes: number; sizeBytes: number }>;
};

const g = globalThis as Record<string, unknown>;
for (const name of ['describe', 'it', 'test', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach']) {
  g[name] = () => undefined;
}
const { samplePlan } = require('../../libs/evidence/src/pack.spec') as {
  samplePlan: (dir: string, count?: number, size?: number) => PackPlan;
};

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

async function copy(plan: PackPlan, dir: string): Promise<number> {
  const t = nowMs();
  const out = createWriteStream(join(dir, 'copy.bin'));
  out.setMaxListeners(0);
  for (const e of plan.exhibits) {
    await pipeline(createReadStream(join(plan.storage.dir, e.sourceKey)), out, { end: false });
  }
  await new Promise<void>((r) => out.end(r));
  return nowMs() - t;
}

/** J5 builds the same case again and again: its exhibits are written once, outside the timed runs. */
let kept: { dir: string; plan: PackPlan } | undefined;

async function one(count: number, size: number, mode: 'pack' | 'copy', again = false): Promise<Record<string, number>> {
  const fresh = !again;
  const dir = fresh ? mkdtempSync(join(tmpdir(), 'bench-pack-')) : (kept ??= sampleKept(count, size)).dir;
  try {
    const plan = fresh ? samplePlan(dir, count, size) : kept!.plan;
    rmSync(plan.outPath, { force: true });
    const bytes = count * size;
    if (mode === 'copy') {
      const ms = await copy(plan, dir);
      return { ms, bytes, mbPerS: bytes / 1048576 / (ms / 1000) };
    }
    const t = nowMs();
    const r = await buildPackInChildProcess(plan, { timeoutMs: 600_000 });
    const ms = nowMs() - t;
    return { ms, bytes, mbPerS: bytes / 1048576 / (ms / 1000), maxRssBytes: r.maxRssBytes, zipBytes: r.sizeBytes };
  } finally {
    if (fresh) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function sampleKept(count: number, size: number): { dir: string; plan: PackPlan } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pack-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { dir, plan: samplePlan(dir, count, size) };
}

process.on('message', (m: { count: number; size: number; mode: 'pack' | 'copy'; again?: boolean }) => {
  one(m.count, m.size, m.mode, m.again)
    .then((r) => process.send?.({ type: 'done', ...r }))
    .catch((err: unknown) => process.send?.({ type: 'error', message: String((err as Error)?.stack ?? err) }));
});
// stop() sends SIGTERM: exit normally, so the kept exhibits are removed
process.once('SIGTERM', () => process.exit(0));
process.send?.({ type: 'ready' });
