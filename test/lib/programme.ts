import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@app/synthetic';

/**
 * Shared plumbing of the reliability, security and privacy programme (quality.md sections 3-8):
 * the mode (quick in `npm test`, full in `npm run test:reliability`), the master seed and the
 * seeds derived from it, and where each test leaves its history and its results part.
 */
export const FULL = process.env.RELIABILITY_MODE === 'full';
export const MODE: 'full' | 'quick' = FULL ? 'full' : 'quick';

/** `quick` in the jest default run, `full` in `npm run test:reliability`. */
export function scale(quick: number, full: number): number {
  return FULL ? full : quick;
}

export const MASTER_SEED = Number(process.env.RELIABILITY_SEED ?? 20261123);

/** A 31-bit seed for one scenario or property, derived from the master seed and a name. */
export function deriveSeed(name: string): number {
  return createHash('sha256').update(`${MASTER_SEED}:${name}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/** A deterministic generator (libs/synthetic's mulberry32), so schedules follow from the seed. */
export function rng(seed: number): () => number {
  const random = new Rng(seed);
  return () => random.next();
}

/**
 * Where parts and histories go: the runner's run directory, or a scratch directory in jest runs,
 * one per HUB_PORT_OFFSET so that two runs side by side never overwrite each other's histories.
 */
export function runDir(): string {
  const dir =
    process.env.RELIABILITY_RUN_DIR ??
    join(tmpdir(), `hub-reliability-adhoc-${process.env.HUB_PORT_OFFSET ?? '0'}`);
  mkdirSync(join(dir, 'parts'), { recursive: true });
  mkdirSync(join(dir, 'history'), { recursive: true });
  return dir;
}

export interface NegativeControl {
  /** what was deliberately broken */
  variant: string;
  /** the oracle counts on the broken variant */
  counts: Record<string, number>;
  /** the checker flagged it (a clean control means the oracle is broken) */
  caught: boolean;
}

export interface TestResult {
  id: string;
  title: string;
  mode: 'full' | 'quick';
  seed: number;
  /** per-oracle counts from the checker on the real run */
  counts: Record<string, number>;
  /** the pass figure as written in quality.md, and what was required here */
  passFigure: string;
  passed: boolean;
  negativeControls: NegativeControl[];
  schedule?: unknown[];
  config?: Record<string, unknown>;
  notes?: string[];
  historyFile?: string;
  startedAt: string;
  durationMs: number;
}

/** Writes one test's result as a part the runner merges into test/results/. */
export function recordResult(
  result: Omit<TestResult, 'mode' | 'durationMs'> & { durationMs?: number },
): void {
  const full: TestResult = {
    ...result,
    mode: MODE,
    durationMs: result.durationMs ?? Date.now() - Date.parse(result.startedAt),
  };
  writeFileSync(join(runDir(), 'parts', `${result.id}.json`), JSON.stringify(full, null, 2));
}

export interface HistoryEntry {
  /** operation id, unique in the history */
  op: string;
  client: string;
  /** the Idempotency-Key or other key of the operation */
  key?: string;
  kind: string;
  invokeAt: number;
  completeAt?: number;
  /** ok: acknowledged (2xx); fail: definite refusal (4xx); info: unknown (timeout, reset, 5xx) */
  outcome: 'ok' | 'fail' | 'info';
  status?: number;
  /** what the checker needs: the id the server answered, a body hash, a note */
  value?: Record<string, unknown>;
}

/**
 * An append-only JSONL history of operations as clients saw them (Jepsen's method): the checker
 * reads this file afterwards, never the clients' memory.
 */
export class History {
  readonly file: string;

  constructor(readonly testId: string) {
    this.file = join(runDir(), 'history', `${testId}.jsonl`);
    writeFileSync(this.file, '');
  }

  append(entry: HistoryEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  /** Runs `work` as one operation and records invoke and completion. */
  async run<T extends { status?: number }>(
    base: Omit<HistoryEntry, 'invokeAt' | 'completeAt' | 'outcome' | 'status' | 'value'>,
    work: () => Promise<T>,
    value: (r: T) => Record<string, unknown> = () => ({}),
  ): Promise<T | undefined> {
    const invokeAt = Date.now();
    try {
      const r = await work();
      const status = r.status ?? 0;
      this.append({
        ...base,
        invokeAt,
        completeAt: Date.now(),
        status,
        outcome: status >= 200 && status < 300 ? 'ok' : status >= 400 && status < 500 ? 'fail' : 'info',
        value: value(r),
      });
      return r;
    } catch (err) {
      this.append({
        ...base,
        invokeAt,
        completeAt: Date.now(),
        outcome: 'info',
        value: { error: String((err as Error)?.message ?? err).slice(0, 200) },
      });
      return undefined;
    }
  }
}

/** Per-spec timeout (jest's project-level testTimeout does not reach hooks). */
export const SPEC_TIMEOUT_MS = FULL ? 900_000 : 120_000;
