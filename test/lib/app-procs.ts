import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';

/**
 * The apps as separate OS processes (quality.md section 3: "workers run as separate OS processes"),
 * started from the TypeScript sources with ts-node's SWC transpiler (a fresh clone has no dist/),
 * tracked by PID, killed by PID. Used by R1 (worker SIGKILL) and R6 (soak: RSS of each process).
 */
const ROOT = join(__dirname, '..', '..');
const ENTRY = { api: 'apps/api/src/main.ts', worker: 'apps/worker/src/main.ts' } as const;
export type AppName = keyof typeof ENTRY;

/** Every process spawned here and still alive, so a failing spec never leaves one behind. */
const live = new Set<AppProcess>();
process.once('exit', () => {
  for (const p of live) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** The environment an api or worker child needs to run on `config`'s database and Redis. */
export function appEnv(config: AppConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    DATABASE_URL: config.db.url,
    DATABASE_MIGRATION_URL: config.db.migrationUrl,
    DB_POOL_SIZE: String(config.db.poolSize),
    REDIS_URL: config.redis.url,
    REDIS_PREFIX: config.redis.prefix,
    QUEUE_LOCK_DURATION_MS: String(config.queue.lockDurationMs),
    QUEUE_STALLED_INTERVAL_MS: String(config.queue.stalledIntervalMs),
    QUEUE_CONCURRENCY: String(config.queue.concurrency),
    STORAGE_DIR: config.storage.dir,
    // the test profile's limits (a virtual tablet files far more than 60 reports a minute)
    REPORT_RATE_LIMIT_PER_MINUTE: String(config.limits.reportsPerMinute),
    PACK_RATE_LIMIT_PER_HOUR: String(config.limits.packsPerHour),
    ALERT_RATE_LIMIT_PER_MINUTE: String(config.radio.alertRateLimitPerMinute),
    LOG_LEVEL: 'info',
    // several workers at once: each its own probe port; SIGTERM stops at once
    WORKER_HTTP_PORT: '0',
    SHUTDOWN_DRAIN_MS: '0',
    ...extra,
  };
}

/** Resident set size of a PID in bytes (from /proc), or null once it is gone. */
export function rssBytes(pid: number | undefined): number | null {
  if (!pid) {
    return null;
  }
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** One app process: spawned, ready (a log line or a probe), killed by PID. */
export class AppProcess {
  readonly spawnedAt = Date.now();
  readyAt?: number;
  exitedAt?: number;
  exit?: string;
  private readonly log: WriteStream;
  private readonly exited: Promise<void>;
  private seen = '';

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
    readyLine?: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    const onData = (chunk: Buffer) => {
      this.log.write(chunk);
      if (readyLine && !this.readyAt) {
        this.seen = (this.seen + chunk.toString()).slice(-4096);
        if (this.seen.includes(readyLine)) {
          this.readyAt = Date.now();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => this.log.write(c));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitedAt = Date.now();
        this.exit = signal ?? String(code);
        live.delete(this);
        this.log.end();
        resolve();
      }),
    );
    child.on('error', () => undefined);
    live.add(this);
  }

  /** Starts `app` from source with `env`; its output goes to `logFile`. */
  static spawn(app: AppName, name: string, env: Record<string, string>, logFile: string): AppProcess {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', ENTRY[app]],
      {
        cwd: ROOT,
        env: { ...env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new AppProcess(name, child, logFile, app === 'worker' ? '"worker started"' : undefined);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.exitedAt === undefined;
  }

  get startupMs(): number | undefined {
    return this.readyAt === undefined ? undefined : this.readyAt - this.spawnedAt;
  }

  rss(): number | null {
    return this.alive ? rssBytes(this.pid) : null;
  }

  /** Waits until the ready line was logged (workers) or `probe` passes (api), within `timeoutMs`. */
  async waitReady(timeoutMs: number, probe?: () => Promise<boolean>): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.alive) {
        throw new Error(`${this.name} exited (${this.exit}) before it was ready; see ${this.logFile}`);
      }
      if (probe && !this.readyAt && (await probe().catch(() => false))) {
        this.readyAt = Date.now();
      }
      if (this.readyAt) {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** Sends `signal` to this PID; resolves when it has exited (SIGKILL: at once). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 5000): Promise<void> {
    if (!this.alive) {
      return;
    }
    try {
      process.kill(this.pid, signal);
    } catch {
      return;
    }
    if (signal !== 'SIGKILL') {
      const t = setTimeout(() => void this.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(t);
      return;
    }
    await this.exited;
  }
}

export interface FleetEvent {
  at: string;
  /** skip: a kill was due but no worker had finished starting (recorded, not performed) */
  event: 'spawn' | 'ready' | 'SIGKILL' | 'respawn' | 'skip';
  slot: number;
  pid: number;
  /** for SIGKILL: how long the victim had lived and whether it had finished starting */
  uptimeMs?: number;
  wasReady?: boolean;
  startupMs?: number;
  /** for SIGKILL: jobs active in the queue at that moment (the harness aims kills at busy moments) */
  activeJobs?: number;
}

/**
 * N worker slots, each holding one worker process at a time. `killAndRespawn` SIGKILLs a slot's
 * process and starts a new one after `respawnAfterMs`; every step lands in `schedule` with its
 * timestamp (the fault schedule as executed).
 */
export class WorkerFleet {
  readonly slots: AppProcess[] = [];
  readonly schedule: FleetEvent[] = [];
  readonly startups: number[] = [];
  private generation = 0;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    private readonly label: string,
    size: number,
  ) {
    for (let slot = 0; slot < size; slot++) {
      this.slots.push(this.spawn(slot, 'spawn'));
    }
  }

  private spawn(slot: number, event: 'spawn' | 'respawn'): AppProcess {
    const n = this.generation++;
    const p = AppProcess.spawn(
      'worker',
      `worker-${slot}#${n}`,
      this.env,
      join(this.logDir, `${this.label}-worker-${slot}-${n}.log`),
    );
    this.schedule.push({ at: new Date().toISOString(), event, slot, pid: p.pid });
    const watch = p
      .waitReady(60_000)
      .then(() => {
        this.startups.push(p.startupMs!);
        this.schedule.push({
          at: new Date(p.readyAt!).toISOString(),
          event: 'ready',
          slot,
          pid: p.pid,
          startupMs: p.startupMs,
        });
      })
      .catch(() => undefined);
    this.track(watch);
    return p;
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  async waitAllReady(timeoutMs: number): Promise<void> {
    await Promise.all(this.slots.map((p) => p.waitReady(timeoutMs)));
  }

  /** SIGKILL the slot's process now; a new one starts `respawnAfterMs` after it has exited. */
  async killAndRespawn(slot: number, respawnAfterMs: number, activeJobs?: number): Promise<void> {
    const victim = this.slots[slot];
    const uptimeMs = Date.now() - victim.spawnedAt;
    const wasReady = victim.readyAt !== undefined;
    await victim.kill('SIGKILL');
    this.schedule.push({
      at: new Date().toISOString(),
      event: 'SIGKILL',
      slot,
      pid: victim.pid,
      uptimeMs,
      wasReady,
      activeJobs,
    });
    const respawn = new Promise<void>((resolve) =>
      setTimeout(() => {
        if (this.slots[slot] === victim && !this.stopped) {
          this.slots[slot] = this.spawn(slot, 'respawn');
        }
        resolve();
      }, respawnAfterMs),
    );
    this.track(respawn);
  }

  /** Waits for pending respawns, then for every slot to be ready. */
  async settle(timeoutMs: number): Promise<void> {
    for (let round = 0; round < 10 && this.pending.size; round++) {
      await Promise.all([...this.pending]);
    }
    await this.waitAllReady(timeoutMs);
  }

  pids(): number[] {
    return this.slots.map((p) => p.pid);
  }

  /** The slots whose current process has one of these pids. */
  slotsOf(pids: number[]): number[] {
    return this.slots.flatMap((p, slot) => (pids.includes(p.pid) ? [slot] : []));
  }

  /**
   * SIGKILLs a random worker among those that have finished starting (`random` picks), so the
   * fault hits a worker that holds jobs rather than one still booting; when none is ready the
   * tick is recorded as skipped. Returns the slot killed, or -1.
   */
  async killRandomReady(
    random: () => number,
    respawnAfterMs: number,
    activeJobs?: number,
    /** the slots that may be hit (default: all) */
    candidates?: number[],
  ): Promise<number> {
    const ready = this.slots
      .map((p, slot) => ({ p, slot }))
      .filter(({ p, slot }) => p.alive && p.readyAt && (!candidates || candidates.includes(slot)));
    if (!ready.length) {
      this.schedule.push({ at: new Date().toISOString(), event: 'skip', slot: -1, pid: 0, activeJobs });
      return -1;
    }
    const { slot } = ready[Math.min(ready.length - 1, Math.floor(random() * ready.length))];
    await this.killAndRespawn(slot, respawnAfterMs, activeJobs);
    return slot;
  }

  /** Stops every worker (SIGTERM, then SIGKILL after 5 s) and any respawn still pending. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.slots.map((p) => p.kill('SIGTERM', 5000)));
  }
}
