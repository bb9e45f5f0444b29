import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueName, queuePrefix } from '@app/queue';
import {
  buildIncidentRequest,
  createTestDatabase,
  freePort,
  givenPartnership,
  type GivenPartnership,
  HttpClient,
  OwnRedis,
  type TestApi,
  type TestDatabase,
} from '@app/testing';
import { AppProcess, appEnv, WorkerFleet } from './app-procs';
import { bodyHash } from './checker';
import { checkEffects, type EffectCounts, type EffectState, readEffectState } from './effects-checker';
import { FaultProxy } from './fault-proxy';
import { readHistory } from './history-reader';
import { deriveSeed, History, type HistoryEntry, type NegativeControl, rng, runDir } from './programme';
import { rawRequest } from './raw-http';

/**
 * The machinery of R1 (worker SIGKILL under load) and R6 (the soak at 30% of R1's load): an api and
 * two workers as separate OS processes on a test database and a Redis of their own (AOF
 * everysec, noeviction), the fault proxy in front of the api, virtual tablets posting reports with
 * Idempotency-Key, and a QueueEvents listener that writes every job event into the same JSONL
 * history the tablets write, so the checker reads one file afterwards.
 */

export interface Tablet {
  name: string;
  partnership: GivenPartnership;
  credential: string;
  token: string;
  random: () => number;
}

export interface Stack {
  label: string;
  redis: OwnRedis;
  db: TestDatabase;
  api: TestApi;
  apiProc: AppProcess;
  fleet: WorkerFleet;
  proxy: FaultProxy;
  partnerships: GivenPartnership[];
  tablets: Tablet[];
  logDir: string;
  /** the environment the api and workers were started with (a control starts variants from it) */
  env: Record<string, string>;
  /** ms from spawn to ready: api (probe on /ready) and the first workers (log line) */
  startup: { apiMs: number; workersMs: number[] };
  close(): Promise<void>;
}

/** A UUIDv4 from a seeded generator, so a tablet's keys follow from the seed. */
export function seededUuid(random: () => number): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) {
    b[i] = Math.floor(random() * 256);
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function enrolTablet(api: TestApi, p: GivenPartnership, storeIndex: number) {
  const enrol = await api.http.post(
    '/api/v1/devices',
    { storeId: p.storeIds[storeIndex], name: `Till ${storeIndex}` },
    p.tokens.coordinator,
  );
  if (enrol.status !== 201) {
    throw new Error(`enrol failed: ${enrol.status} ${enrol.text}`);
  }
  const credential = enrol.body.credential as string;
  const login = await api.http.post('/api/v1/auth/device', { credential });
  if (login.status !== 200) {
    throw new Error(`device login failed: ${login.status} ${login.text}`);
  }
  return { credential, token: login.body.accessToken as string };
}

/**
 * Starts Redis, a database cloned from the template, the api and `workers` worker processes (in
 * parallel), the fault proxy (`dropShare` of connections reset after the response: a response lost
 * after commit), two partnerships and `tablets` enrolled tablets spread over their stores.
 */
export async function startStack(opts: {
  label: string;
  tablets: number;
  workers: number;
  dropShare: number;
  seed: number;
}): Promise<Stack> {
  const logDir = join(runDir(), 'logs');
  mkdirSync(logDir, { recursive: true });
  const redis = await OwnRedis.start();
  const db = await createTestDatabase({ REDIS_URL: redis.url });
  const port = await freePort();
  const env = appEnv(db.config);
  const apiProc = AppProcess.spawn(
    'api',
    'api',
    { ...env, LOG_LEVEL: 'warn', API_HOST: '127.0.0.1', API_PORT: String(port) },
    join(logDir, `${opts.label}-api.log`),
  );
  const fleet = new WorkerFleet(env, logDir, opts.label, opts.workers);
  const baseUrl = `http://127.0.0.1:${port}`;
  const http = new HttpClient(baseUrl);
  const stopAll = async () => {
    await Promise.all([fleet.stop(), apiProc.kill('SIGTERM', 3000)]);
  };
  try {
    await apiProc.waitReady(60_000, async () => (await http.get('/ready')).status === 200);
    await fleet.waitAllReady(60_000);
  } catch (err) {
    await stopAll();
    await db.drop();
    await redis.destroy();
    throw err;
  }
  const api: TestApi = {
    db,
    http,
    app: undefined as never,
    close: async () => undefined,
  };
  const partnerships = [await givenPartnership(api), await givenPartnership(api)];
  const tablets: Tablet[] = [];
  for (let t = 0; t < opts.tablets; t++) {
    const partnership = partnerships[t % partnerships.length];
    const { credential, token } = await enrolTablet(api, partnership, Math.floor(t / 2) % 2);
    tablets.push({
      name: `tablet-${t}`,
      partnership,
      credential,
      token,
      random: rng(deriveSeed(`${opts.label}:tablet:${t}`)),
    });
  }
  const proxyRandom = rng(opts.seed);
  const proxy = new FaultProxy({ host: '127.0.0.1', port }, () =>
    proxyRandom() < opts.dropShare ? { kind: 'reset-after-body' } : { kind: 'pass' },
  );
  await proxy.start();
  return {
    label: opts.label,
    redis,
    db,
    api,
    apiProc,
    fleet,
    proxy,
    partnerships,
    tablets,
    logDir,
    env,
    startup: { apiMs: apiProc.startupMs ?? -1, workersMs: fleet.slots.map((w) => w.startupMs ?? -1) },
    close: async () => {
      await proxy.close();
      await stopAll();
      await db.drop();
      await redis.destroy();
      rmSync(db.config.storage.dir, { recursive: true, force: true });
    },
  };
}

/** Writes every event of the aggregation queue into the history (kind `job-<event>`, key = job id). */
export class JobEventLog {
  private readonly events: QueueEvents;
  readonly counts: Record<string, number> = {};
  /** job ids seen completed (for waiting; the checker reads the history file instead) */
  readonly completed = new Set<string>();
  /** job ids coalesced into another job of their partnership (never a job of their own) */
  readonly coalesced = new Set<string>();

  constructor(
    stack: Stack,
    private readonly history: History,
  ) {
    // connection options, not a client: QueueEvents then owns the connection and closes it
    this.events = new QueueEvents(QueueName.Aggregation, {
      connection: { host: '127.0.0.1', port: stack.redis.port, maxRetriesPerRequest: null },
      prefix: queuePrefix(stack.db.config),
    });
    this.events.on('error', () => undefined);
    const events = [
      'active',
      'completed',
      'failed',
      'stalled',
      'duplicated',
      'deduplicated',
      'retries-exhausted',
    ];
    for (const event of events) {
      type Args = { jobId: string; deduplicatedJobId?: string; failedReason?: string };
      this.events.on(event as 'active', (args: Args, id: string) => {
        this.counts[event] = (this.counts[event] ?? 0) + 1;
        // a deduplicated event names the job that was not added (args.jobId: the one it joined)
        const key = event === 'deduplicated' ? args.deduplicatedJobId! : args.jobId;
        if (event === 'completed') {
          this.completed.add(key);
        } else if (event === 'deduplicated') {
          this.coalesced.add(key);
        }
        this.history.append({
          op: `ev-${id}`,
          client: 'queue-events',
          key,
          kind: `job-${event}`,
          invokeAt: Number(String(id).split('-')[0]),
          outcome: event === 'failed' ? 'fail' : 'ok',
          value: args.failedReason ? { failedReason: args.failedReason.slice(0, 200) } : undefined,
        });
      });
    }
  }

  ready(): Promise<void> {
    return this.events.waitUntilReady().then(() => undefined);
  }

  close(): Promise<void> {
    return this.events.close();
  }
}

export interface LoadPlan {
  /** reports per tablet (the total is split as evenly as it goes) */
  total: number;
  ratePerTablet: number;
  dupShare: number;
  /** no new report starts after this */
  deadlineAt: number;
  /** retries of reports already started go on until this (a response dropped at the end is retried) */
  retryUntil: number;
  maxAttempts: number;
  /** days back the occurredAt of a report may fall (several cells per partnership) */
  daysBack: number;
}

const TYPE_SETS = [['theft_shop'], ['theft_shop', 'verbal_abuse'], ['threat'], ['criminal_damage'], ['asb']];

/**
 * Every tablet posts its share of `plan.total` reports at `ratePerTablet` through the fault proxy,
 * each with its own Idempotency-Key (also sent as x-request-id, so the report's outbox row names its
 * key), `dupShare` of them sent twice at once; unanswered, 5xx and 409 attempts are retried with the
 * same key and body, with backoff and jitter, until acknowledged or out of attempts or time.
 */
export async function runTablets(
  stack: Stack,
  history: History,
  plan: LoadPlan,
): Promise<Map<string, { client: string; body: Record<string, unknown> }>> {
  const keys = new Map<string, { client: string; body: Record<string, unknown> }>();
  const t0 = Date.now();
  const n = stack.tablets.length;
  const send = (tablet: Tablet, key: string, body: Record<string, unknown>, attempt: number, dup: boolean) =>
    history.run(
      { op: `${key}:${attempt}${dup ? ':dup' : ''}`, client: tablet.name, key, kind: 'create-report' },
      () =>
        rawRequest(stack.proxy.url, 'POST', '/api/v1/incidents', {
          token: tablet.token,
          body,
          headers: { 'idempotency-key': key, 'x-request-id': key },
          timeoutMs: 15_000,
        }),
      (r) => ({
        id: r.body?.id,
        bodyHash: r.status === 201 ? bodyHash(r.text) : undefined,
        code: r.body?.code,
        attempt,
        dup,
      }),
    );
  await Promise.all(
    stack.tablets.map(async (tablet, t) => {
      const mine = Math.floor(plan.total / n) + (t < plan.total % n ? 1 : 0);
      const offset = (t / n) * (1000 / plan.ratePerTablet);
      for (let i = 0; i < mine && Date.now() < plan.deadlineAt; i++) {
        const due = t0 + offset + (i * 1000) / plan.ratePerTablet;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
        const key = seededUuid(tablet.random);
        const body = buildIncidentRequest({
          narrative: `${stack.label} report ${t}/${i} ref:${key}`,
          occurredAt: new Date(
            t0 - 3600_000 - Math.floor(tablet.random() * plan.daysBack * 86400_000),
          ).toISOString(),
          types: TYPE_SETS[Math.floor(tablet.random() * TYPE_SETS.length)],
        });
        keys.set(key, { client: tablet.name, body });
        const twice = tablet.random() < plan.dupShare;
        for (let attempt = 0; attempt < plan.maxAttempts && Date.now() < plan.retryUntil; attempt++) {
          const answers = await Promise.all(
            (twice && attempt === 0 ? [false, true] : [false]).map((dup) =>
              send(tablet, key, body, attempt, dup),
            ),
          );
          if (answers.some((r) => r?.status === 401)) {
            const login = await stack.api.http.post('/api/v1/auth/device', { credential: tablet.credential });
            if (login.status === 200) {
              tablet.token = login.body.accessToken as string;
            }
            continue;
          }
          if (answers.some((r) => r && r.status >= 200 && r.status < 300)) {
            break;
          }
          if (answers.some((r) => r && r.status >= 400 && r.status < 500 && r.status !== 409)) {
            break;
          }
          const backoff = Math.min(2000, 100 * 2 ** Math.min(attempt, 4));
          await new Promise((r) => setTimeout(r, backoff / 2 + tablet.random() * backoff));
        }
      }
    }),
  );
  return keys;
}

/** Replays `sample` acknowledged keys straight to the api: each must answer the original bytes. */
export async function replaySample(
  stack: Stack,
  history: History,
  keys: Map<string, { client: string; body: Record<string, unknown> }>,
  sample: number,
): Promise<void> {
  const byName = new Map(stack.tablets.map((t) => [t.name, t]));
  const acked = new Set(
    readHistory(history.file)
      .filter((e) => e.kind === 'create-report' && e.outcome === 'ok')
      .map((e) => e.key),
  );
  const picked = [...keys].filter(([key]) => acked.has(key));
  const step = Math.max(1, Math.floor(picked.length / sample));
  for (let i = 0; i < picked.length && i / step < sample; i += step) {
    const [key, { client, body }] = picked[i];
    const tablet = byName.get(client)!;
    await history.run(
      { op: `${key}:replay`, client, key, kind: 'create-report' },
      () =>
        rawRequest(stack.api.http.baseUrl, 'POST', '/api/v1/incidents', {
          token: tablet.token,
          body,
          headers: { 'idempotency-key': key, 'x-request-id': key },
        }),
      (r) => ({ id: r.body?.id, bodyHash: r.status === 201 ? bodyHash(r.text) : undefined, replay: true }),
    );
  }
}

/** Counts of the aggregation and offenders queues (failed jobs left, anything still pending). */
export async function queueCounts(stack: Stack): Promise<Record<string, Record<string, number>>> {
  const conn = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const out: Record<string, Record<string, number>> = {};
    for (const name of Object.values(QueueName)) {
      const q = new Queue(name, { connection: conn, prefix: queuePrefix(stack.db.config) });
      out[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      await q.close();
    }
    return out;
  } finally {
    conn.disconnect();
  }
}

/** The failed jobs of the aggregation queue (id and reason), for the notes. */
export async function failedJobs(stack: Stack): Promise<{ id: string; reason: string }[]> {
  const conn = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const q = new Queue(QueueName.Aggregation, { connection: conn, prefix: queuePrefix(stack.db.config) });
  try {
    const jobs = await q.getFailed(0, 50);
    return jobs.map((j) => ({ id: String(j.id), reason: String(j.failedReason).slice(0, 200) }));
  } finally {
    await q.close();
    conn.disconnect();
  }
}

/** The state of jobs the event log has no completion for (events can be trimmed). */
export async function jobStates(stack: Stack, jobIds: string[]): Promise<Map<string, string>> {
  const conn = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const q = new Queue(QueueName.Aggregation, { connection: conn, prefix: queuePrefix(stack.db.config) });
  try {
    const out = new Map<string, string>();
    for (const id of jobIds.slice(0, 5000)) {
      out.set(id, await q.getJobState(id));
    }
    return out;
  } finally {
    await q.close();
    conn.disconnect();
  }
}

/**
 * Holds every partnership's fold lock (the one IncidentRollupRepository takes per partnership) on
 * a connection of the test's own, so a fold job that starts meanwhile stays active, waiting in the
 * database, until `release`: a kill then lands mid-job however fast folds are.
 */
export async function holdFolds(stack: Stack): Promise<() => Promise<void>> {
  const runner = stack.db.owner.createQueryRunner();
  await runner.connect();
  for (const p of stack.partnerships) {
    await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`stats:${p.partnershipId}`]);
  }
  return async () => {
    await runner.query('SELECT pg_advisory_unlock_all()');
    await runner.release();
  };
}

/**
 * Watches the aggregation queue's active jobs (at most `maxWaitMs`) and returns, as soon as there
 * is one, the pids of the worker processes holding them (BullMQ's processedBy: the worker's name
 * ends in its pid), so a kill aimed at one lands while it holds a job. Jobs are few and short (one
 * fold at a time per partnership), so the watch is tight; empty when none was seen.
 */
export async function jobHolders(stack: Stack, maxWaitMs: number): Promise<number[]> {
  const conn = new Redis(stack.redis.url, { maxRetriesPerRequest: 1 });
  const q = new Queue(QueueName.Aggregation, { connection: conn, prefix: queuePrefix(stack.db.config) });
  try {
    const until = Date.now() + maxWaitMs;
    do {
      const pids = (await q.getActive())
        .map((j) => Number(/-(\d+)$/.exec(j.processedBy ?? '')?.[1]))
        .filter((pid) => pid > 0);
      if (pids.length) {
        return [...new Set(pids)];
      }
      await new Promise((r) => setTimeout(r, 5));
    } while (Date.now() < until);
    return [];
  } finally {
    await q.close();
    conn.disconnect();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the ms it took, or -1. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await check().catch(() => false)) {
      return Date.now() - t0;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return -1;
}

/**
 * Waits for quiet after the load: every outbox row published (bounded: `publishWithinMs` after the
 * load ended, quality.md's 60 s); then every rollup-day job completed or failed and the aggregation
 * queue idle (bounded by `jobsWithinMs`); then, if any job failed, for the rollups to converge
 * through the reconciler (the fold each job and the minute schedule run), bounded by
 * `reconcileWithinMs`. Returns what it saw; the checker decides.
 */
export async function awaitQuiet(
  stack: Stack,
  jobLog: JobEventLog,
  loadEndedAt: number,
  publishWithinMs = 60_000,
  jobsWithinMs = 120_000,
  reconcileWithinMs = 75_000,
): Promise<{
  publishedAfterLoadMs: number;
  unpublishedAtDeadline: number;
  jobsQuietAfterLoadMs: number;
  reconciledAfterQuietMs: number | null;
}> {
  const query = (sql: string): Promise<{ id: string; n: number }[]> => stack.db.owner.query(sql);
  const unpublished = async () =>
    Number((await query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n);
  const waited = await waitFor(
    async () => (await unpublished()) === 0,
    Math.max(0, loadEndedAt + publishWithinMs - Date.now()),
  );
  const publishedAfterLoadMs = waited < 0 ? -1 : Date.now() - loadEndedAt;
  const unpublishedAtDeadline = await unpublished();
  let failed = 0;
  const jobsWaited = await waitFor(
    async () => {
      const rows = await query(`SELECT id FROM outbox WHERE kind = 'job' AND name = 'rollup-day'`);
      const open = rows
        .map((r) => `outbox-${r.id}`)
        .filter((j) => !jobLog.completed.has(j) && !jobLog.coalesced.has(j));
      const states = await jobStates(stack, open);
      if (![...states.values()].every((st) => st === 'completed' || st === 'failed')) {
        return false;
      }
      failed = [...states.values()].filter((st) => st === 'failed').length;
      const c = (await queueCounts(stack))[QueueName.Aggregation];
      return c.waiting + c.active + c.prioritized === 0;
    },
    Math.max(0, loadEndedAt + jobsWithinMs - Date.now()),
    500,
  );
  const jobsQuietAfterLoadMs = jobsWaited < 0 ? -1 : Date.now() - loadEndedAt;
  let reconciledAfterQuietMs: number | null = null;
  if (failed > 0) {
    const ids = stack.partnerships.map((p) => p.partnershipId);
    reconciledAfterQuietMs = await waitFor(
      async () =>
        (await readEffectState((sql, params) => stack.db.owner.query(sql, params), ids)).cells.every(
          (c) => c.rollup === c.raw,
        ),
      reconcileWithinMs,
      1000,
    );
  }
  return { publishedAfterLoadMs, unpublishedAtDeadline, jobsQuietAfterLoadMs, reconciledAfterQuietMs };
}

export interface Evaluation {
  entries: HistoryEntry[];
  state: EffectState;
  /** job states: completed from the event log, the rest read from the queue */
  jobStates: Map<string, string>;
  counts: EffectCounts & { timeToEffectMs: number[] };
  failedJobsLeft: number;
  failedJobs: { id: string; reason: string }[];
  queues: Record<string, Record<string, number>>;
}

/** The checker over the history file and the database, once quiet. */
export async function evaluate(stack: Stack, historyFile: string): Promise<Evaluation> {
  const entries = readHistory(historyFile);
  const query = (sql: string, params?: unknown[]) => stack.db.owner.query(sql, params);
  const ids = stack.partnerships.map((p) => p.partnershipId);
  const state = await readEffectState(query, ids);
  const completed = new Set(entries.filter((e) => e.kind === 'job-completed').map((e) => e.key!));
  const unseen = state.outbox.map((o) => `outbox-${o.id}`).filter((j) => !completed.has(j));
  const states = new Map([
    ...[...completed].map((j) => [j, 'completed'] as const),
    ...(await jobStates(stack, unseen)),
  ]);
  const counts = checkEffects(entries, state, states);
  const queues = await queueCounts(stack);
  const failedJobsLeft = Object.values(queues).reduce((s, c) => s + (c.failed ?? 0), 0);
  return {
    entries,
    state,
    jobStates: states,
    counts,
    failedJobsLeft,
    failedJobs: await failedJobs(stack),
    queues,
  };
}

/**
 * R1's pass figure: lost 0, duplicate reports 0, duplicate effects 0, unconverged 0 (which counts
 * failed jobs whose effect the reconciler has not re-driven), replays faithful.
 */
export function r1Violations(c: EffectCounts): number {
  return c.lost + c.duplicateReports + c.duplicateEffects + c.unconverged + c.replayMismatch + c.keyForkedIds;
}

/**
 * R1's negative control: a run of a broken variant, checked by the same checker from its real
 * outputs. The broken variant is worker processes started with TEST_DEFECTS=fold-keeps-pending,
 * whose fold adds a report's pending change to the rollups without taking it: every further job
 * of the partnership (another report, or a rerun of the same job) adds it again. A reduced load of `reports` reports from two fresh tablets of a partnership of
 * its own goes through the same api and fault proxy (the main run's workers are stopped first; the
 * database is dropped afterwards); the checker must count duplicate effects.
 */
export async function r1Controls(stack: Stack, reports = 120): Promise<NegativeControl[]> {
  const label = `${stack.label}-control`;
  const fleet = new WorkerFleet({ ...stack.env, TEST_DEFECTS: 'fold-keeps-pending' }, stack.logDir, label, 1);
  try {
    await fleet.waitAllReady(60_000);
    const partnership = await givenPartnership(stack.api);
    const tablets: Tablet[] = [];
    for (let t = 0; t < 2; t++) {
      const { credential, token } = await enrolTablet(stack.api, partnership, t);
      tablets.push({
        name: `control-tablet-${t}`,
        partnership,
        credential,
        token,
        random: rng(deriveSeed(`${label}:tablet:${t}`)),
      });
    }
    const ctl: Stack = { ...stack, label, fleet, partnerships: [partnership], tablets };
    const history = new History(label);
    const jobLog = new JobEventLog(ctl, history);
    await jobLog.ready();
    const t0 = Date.now();
    await runTablets(ctl, history, {
      total: reports,
      ratePerTablet: 20,
      dupShare: 0.05,
      deadlineAt: t0 + 30_000,
      retryUntil: t0 + 45_000,
      maxAttempts: 20,
      daysBack: 3,
    });
    await awaitQuiet(ctl, jobLog, Date.now(), 30_000, 30_000, 0);
    await jobLog.close();
    const ev = await evaluate(ctl, history.file);
    const c = ev.counts;
    return [
      {
        variant:
          'workers with TEST_DEFECTS=fold-keeps-pending ' +
          `(each fold adds every pending change again; ${reports} reports, 1 worker, history ${label}.jsonl)`,
        counts: {
          reports: c.reports,
          acknowledged: c.acknowledged,
          rollupCellsOver: c.rollupCellsOver,
          duplicateEffects: c.duplicateEffects,
          lost: c.lost,
          duplicateReports: c.duplicateReports,
        },
        caught: c.duplicateEffects > 0 && c.rollupCellsOver > 0 && r1Violations(c) > 0,
      },
    ];
  } finally {
    await fleet.stop();
  }
}
