import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Role } from '@app/auth';
import type { AlertPayload, RadioClient, ReplayBatch, SocketResult } from '@app/realtime';
import {
  createTestDatabase,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  HttpClient,
  OwnRedis,
  radioClient,
  type TestApi,
} from '@app/testing';
import type { AudienceMember, CommittedAlert } from './alert-checker';
import { History, type HistoryEntry, runDir } from './programme';
import { rawRequest } from './raw-http';
import { AppChild, childEnv } from './compiled-apps';

/**
 * The radio fault tests' stack (R2, R2-dup, R3): a Redis of the test's own (AOF, loopback), a cloned
 * test database, and the api, the worker (whose outbox relay publishes alerts to the radio) and the
 * radios each as its own OS process (as deployed; hundreds of clients in the jest process must not
 * starve the api's event loop), plus recording socket.io clients in this process.
 */
export interface RadioStack {
  redis: OwnRedis;
  /** TestApi-shaped: db (owner connection for the checker), http on the api process */
  api: TestApi;
  apiProc: AppChild;
  worker: AppChild;
  radios: AppChild[];
  p: GivenPartnership;
  /** the clients' identities (givenListeners), made while the radios start */
  listeners: Listener[];
  logDir: string;
  /**
   * Starts one more radio process (stopped with the stack), e.g. a broken variant for a negative
   * control with `{ TEST_DEFECTS: 'replay-skips-one' }`.
   */
  startRadio(name: string, extraEnv?: Record<string, string>): Promise<AppChild>;
  close(): Promise<void>;
}

export async function startRadioStack(
  id: string,
  opts: { radios: number; listeners: number },
): Promise<RadioStack> {
  const redis = await OwnRedis.start();
  const db = await createTestDatabase({ REDIS_URL: redis.url, ALERT_RATE_LIMIT_PER_MINUTE: '100000' });
  const logDir = join(runDir(), 'logs', id);
  mkdirSync(logDir, { recursive: true });
  const env = childEnv(db.config);
  const children: AppChild[] = [];
  const track = (c: Promise<AppChild>) =>
    c.then((x) => {
      children.push(x);
      return x;
    });
  const close = async () => {
    try {
      await Promise.all(children.map((c) => c.stop()));
      await db.drop();
    } finally {
      await Promise.all(children.map((c) => c.kill('SIGKILL')));
      await redis.destroy();
      rmSync(db.config.storage.dir, { recursive: true, force: true });
    }
  };
  try {
    // all four start at once; only the fixtures wait for the api
    const starting = track(AppChild.start('api', 'api', env, logDir));
    const [radios, worker, { apiProc, api, p, listeners }] = await Promise.all([
      Promise.all(
        Array.from({ length: opts.radios }, (_, i) =>
          track(AppChild.start('radio', `radio-${String.fromCharCode(97 + i)}`, env, logDir)),
        ),
      ),
      track(AppChild.start('worker', 'worker', env, logDir)),
      starting.then(async (apiProc) => {
        const api: TestApi = { db, http: new HttpClient(apiProc.url), app: undefined as never, close };
        const p = await givenPartnership(api);
        return { apiProc, api, p, listeners: await givenListeners(api, p, opts.listeners) };
      }),
    ]);
    const startRadio = (name: string, extraEnv: Record<string, string> = {}) =>
      track(AppChild.start('radio', name, { ...env, ...extraEnv }, logDir));
    return { redis, api, apiProc, worker, radios, p, listeners, logDir, startRadio, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A client's identity: a tablet (most), a store user, or staff who hear every alert. */
export interface Listener extends AudienceMember {
  token: string;
  label: string;
}

/**
 * `n` listeners: every tenth a staff user (coordinator, police, admin in turn), every tenth a
 * store user of the first store, the rest tablets of their own (each its own actor and session),
 * alternating between the two stores so rooms differ between clients.
 */
export async function givenListeners(api: TestApi, p: GivenPartnership, n: number): Promise<Listener[]> {
  const staff = [Role.Coordinator, Role.Police, Role.Admin];
  const shop = [Role.Shopworker, Role.StoreManager];
  const out: Listener[] = new Array(n);
  const tablets: number[] = [];
  for (let i = 0; i < n; i++) {
    const client = `c${String(i).padStart(3, '0')}`;
    if (i % 10 === 0) {
      const role = staff[(i / 10) % staff.length];
      out[i] = {
        client,
        actorId: p.users[role].id,
        storeId: null,
        staff: true,
        token: p.tokens[role],
        label: role,
      };
    } else if (i % 10 === 5) {
      const role = shop[Math.floor(i / 10) % shop.length];
      out[i] = {
        client,
        actorId: p.users[role].id,
        storeId: p.storeIds[0],
        staff: false,
        token: p.tokens[role],
        label: role,
      };
    } else {
      tablets.push(i);
    }
  }
  // enrol and sign in the tablets a few at a time
  for (let k = 0; k < tablets.length; k += 8) {
    await Promise.all(
      tablets.slice(k, k + 8).map(async (i) => {
        const store = (i % 2) as 0 | 1;
        const t = await givenTablet(api, p, store);
        out[i] = {
          client: `c${String(i).padStart(3, '0')}`,
          actorId: t.deviceId,
          storeId: p.storeIds[store],
          staff: false,
          token: t.token,
          label: `tablet store${store}`,
        };
      }),
    );
  }
  return out;
}

/**
 * A history written in batches (hundreds of clients append thousands of lines): same JSONL file and
 * entry shape as History, flushed every 200 ms and at the end.
 */
export class BufferedHistory {
  readonly file: string;
  private lines: string[] = [];
  private readonly timer: NodeJS.Timeout;
  private n = 0;

  constructor(testId: string) {
    this.file = new History(testId).file;
    this.timer = setInterval(() => this.flush(), 200);
    this.timer.unref();
  }

  append(entry: Omit<HistoryEntry, 'op'> & { op?: string }): void {
    this.n += 1;
    this.lines.push(JSON.stringify({ op: entry.op ?? `${entry.client}#${this.n}`, ...entry }));
  }

  flush(): void {
    if (this.lines.length) {
      const chunk = `${this.lines.join('\n')}\n`;
      this.lines = [];
      appendFileSync(this.file, chunk);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/**
 * The typed radio client (libs/realtime/src/client/radio-client.ts) over the real socket.io client,
 * recording every alert as it came off the socket (`alert-raw`) and as shown after the client's
 * dedupe (`alert-shown`), and its connection timeline.
 */
export class TrackedClient {
  readonly client: RadioClient;
  shownCount = 0;

  constructor(
    readonly who: Listener,
    readonly url: string,
    path: string,
    history: BufferedHistory,
  ) {
    this.client = radioClient(url, path, who.token, { lastSeq: 0 });
    const socket = this.client.socket;
    const rec = (kind: string, extra: Partial<HistoryEntry> = {}) =>
      history.append({ client: who.client, kind, invokeAt: Date.now(), outcome: 'ok', ...extra });
    const raw = (alerts: AlertPayload[], via: string) => {
      for (const a of alerts) {
        rec('alert-raw', { key: a.id, value: { seq: a.seq, via } });
      }
    };
    socket.onAny((event: string, arg: unknown) => {
      if (event === 'alert') {
        raw([arg as AlertPayload], 'live');
      } else if (event === 'replay') {
        raw((arg as ReplayBatch).alerts, 'handshake-replay');
      } else if (event === 'stale' || event === 'resync') {
        rec(event);
      }
    });
    // replay answers come back as acknowledgements, not events: wrap the request's callback
    const emit = socket.emit.bind(socket) as (ev: string, ...args: unknown[]) => unknown;
    (socket as unknown as { emit: typeof emit }).emit = (ev: string, ...args: unknown[]) => {
      const done = args[args.length - 1];
      if (ev === 'replay' && typeof done === 'function') {
        args[args.length - 1] = (res: SocketResult<ReplayBatch>) => {
          if (res?.ok) {
            raw(res.data.alerts, 'replay-request');
          }
          (done as (r: unknown) => void)(res);
        };
      }
      return emit(ev, ...args);
    };
    socket.on('connect', () => rec('connect', { value: { recovered: socket.recovered } }));
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) =>
      rec('connect-error', { outcome: 'info', value: { message: err.message, code: err.data?.code } }),
    );
    socket.io.on('reconnect_attempt', (n) => rec('reconnect-attempt', { value: { n } }));
    this.client.on('live', () => rec('live'));
    this.client.on('disconnected', (reason) => rec('disconnect', { value: { reason } }));
    this.client.on('alert', (a, meta) => {
      this.shownCount += 1;
      rec('alert-shown', { key: a.id, value: { seq: a.seq, replayed: meta.replayed } });
    });
  }

  connect(): Promise<void> {
    return this.client.connect();
  }
}

/** Connects clients a batch at a time (a thundering herd is a different test). */
export async function connectAll(clients: TrackedClient[], batch = 25): Promise<void> {
  for (let i = 0; i < clients.length; i += batch) {
    await Promise.all(clients.slice(i, i + batch).map((c) => c.connect()));
  }
}

export type AlertTargetSpec = { kind: 'partnership' } | { kind: 'store'; storeId: string };

/**
 * Raises `total` alerts at `perSecond` through the api (POST /api/v1/alerts: the alert and its
 * outbox row in one transaction; the worker's relay publishes), recording each as `raise-alert`.
 * `at(i)` runs before alert i is sent (the fault schedule hangs off it).
 */
export async function raiseStream(opts: {
  api: TestApi;
  token: string;
  total: number;
  perSecond: number;
  target: (i: number) => AlertTargetSpec;
  history: BufferedHistory;
  at?: (i: number) => void;
}): Promise<void> {
  const t0 = Date.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < opts.total; i++) {
    opts.at?.(i);
    const invokeAt = Date.now();
    inflight.push(
      rawRequest(opts.api.http.baseUrl, 'POST', '/api/v1/alerts', {
        token: opts.token,
        body: { type: 'information', message: `stream ${i}`, target: opts.target(i) },
        timeoutMs: 20_000,
      }).then(
        (r) =>
          opts.history.append({
            client: 'raiser',
            kind: 'raise-alert',
            key: r.status === 201 ? String(r.body.id) : undefined,
            invokeAt,
            completeAt: Date.now(),
            status: r.status,
            outcome: r.status === 201 ? 'ok' : r.status >= 400 && r.status < 500 ? 'fail' : 'info',
            value: { i, seq: r.body?.seq, code: r.body?.code },
          }),
        (err: unknown) =>
          opts.history.append({
            client: 'raiser',
            kind: 'raise-alert',
            invokeAt,
            completeAt: Date.now(),
            outcome: 'info',
            value: { i, error: String((err as Error)?.message ?? err).slice(0, 200) },
          }),
      ),
    );
    const due = t0 + ((i + 1) * 1000) / opts.perSecond;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
  }
  await Promise.all(inflight);
}

/** Every alert of the partnership committed in PostgreSQL, read as the table owner. */
export async function readCommitted(api: TestApi, partnershipId: string): Promise<CommittedAlert[]> {
  const rows = await api.db.owner.query<
    {
      id: string;
      seq: string;
      target_kind: string;
      store_id: string | null;
      sender_id: string | null;
      tg: string[];
    }[]
  >(
    `SELECT a.id, a.seq::text, a.target_kind, a.store_id, a.sender_id,
            coalesce(array_agg(tgs.store_id::text) FILTER (WHERE tgs.store_id IS NOT NULL), '{}') AS tg
       FROM alerts a LEFT JOIN talk_group_stores tgs ON tgs.talk_group_id = a.talk_group_id
      WHERE a.partnership_id = $1
      GROUP BY a.id ORDER BY a.seq`,
    [partnershipId],
  );
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    targetKind: r.target_kind,
    storeId: r.store_id,
    talkGroupStoreIds: r.tg,
    senderId: r.sender_id,
  }));
}

/** Outbox rows (realtime or jobs) still unpublished for the partnership. */
export async function unpublishedOutbox(api: TestApi, partnershipId: string): Promise<number> {
  const [{ n }] = await api.db.owner.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM outbox WHERE partnership_id = $1 AND published_at IS NULL`,
    [partnershipId],
  );
  return Number(n);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Event-loop delay of this (the clients') process between start and stop: if the harness itself
 * lags, the client-side timings it records (reconnect, catch-up) are inflated by up to that much.
 */
export class LoopDelay {
  private readonly h = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.h.enable();
  }

  stop(): { p50: number; p99: number; max: number } {
    this.h.disable();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    return { p50: ms(this.h.percentile(50)), p99: ms(this.h.percentile(99)), max: ms(this.h.max) };
  }
}
