// The radio's typed client, shared by the web client and the tests. Browser-safe: it imports
// socket.io-client's types only and is handed `io` by its caller, so the Node apps that load
// @app/realtime never need socket.io-client, and the browser needs nothing from Node.
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type {
  AckResponse,
  AlertAckedPayload,
  AlertPayload,
  CaseUpdatedPayload,
  EvidenceRequestedPayload,
  ClientToServerEvents,
  PresencePayload,
  ReplayBatch,
  ServerToClientEvents,
  SocketError,
  SocketResult,
  WelcomePayload,
} from '../events';

export type RadioSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type IoFactory = (url: string, opts: Partial<ManagerOptions & SocketOptions>) => Socket;

export interface RadioClientOptions {
  /** the radio's origin, e.g. http://127.0.0.1:3001 */
  url: string;
  /** the socket.io path (config RADIO_PATH) */
  path: string;
  /** a current access token; asked again at every (re)connection */
  token: () => string | Promise<string>;
  /** the last alert seq this client saw (persist it, e.g. in localStorage); null when new */
  lastSeq?: number | null;
  /** reconnect by itself after a dropped connection (default true) */
  reconnection?: boolean;
  /** how many alert ids to remember for dropping duplicates (default 5,000) */
  rememberIds?: number;
  /** wait at most this long for the server to answer a request (default 10 s) */
  requestTimeoutMs?: number;
}

export interface AlertMeta {
  /** arrived in a replay after a (re)connection rather than live */
  replayed: boolean;
}

interface RadioClientEvents {
  /** each alert once, in order, deduplicated by id */
  alert: (alert: AlertPayload, meta: AlertMeta) => void;
  acked: (payload: AlertAckedPayload) => void;
  welcome: (payload: WelcomePayload) => void;
  /** replay done: every missed alert has been shown and live ones follow */
  live: () => void;
  /** the server refused the connection (bad, expired or revoked token) */
  refused: (error: SocketError) => void;
  disconnected: (reason: string) => void;
  /** a case with a report from this store moved on (store rooms only) */
  caseUpdated: (payload: CaseUpdatedPayload) => void;
  /** the police asked this store for evidence */
  evidenceRequested: (payload: EvidenceRequestedPayload) => void;
}

type Listeners = { [E in keyof RadioClientEvents]: Set<RadioClientEvents[E]> };

/** Waits before asking again for a replay page the radio turned down for now (rate limit, no answer). */
const REPLAY_RETRY_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000];
const RETRYABLE = new Set(['RATE_LIMITED', 'TIMEOUT', 'SERVICE_UNAVAILABLE']);

export class RadioRequestError extends Error {
  constructor(readonly error: SocketError) {
    super(`${error.code}: ${error.message}`);
    this.name = 'RadioRequestError';
  }
}

/**
 * Connects with a token and the last seq seen, shows missed alerts (replayed in order, in batches)
 * before live ones, drops duplicates by id, and resumes after reconnects and server resyncs.
 */
export class RadioClient {
  readonly socket: RadioSocket;
  private seq: number | null;
  /** the seq held when the server said its live feed may have gaps (replays start there) */
  private checkpoint: number | null | undefined;
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private readonly listeners: Listeners = {
    alert: new Set(),
    acked: new Set(),
    welcome: new Set(),
    live: new Set(),
    refused: new Set(),
    disconnected: new Set(),
    caseUpdated: new Set(),
    evidenceRequested: new Set(),
  };
  /** live alerts held back while a replay is in progress */
  private held: AlertPayload[] | null = [];
  private replaying = 0;
  private readonly rememberIds: number;
  private readonly timeoutMs: number;

  constructor(
    io: IoFactory,
    options: RadioClientOptions,
  ) {
    this.seq = options.lastSeq ?? null;
    this.rememberIds = options.rememberIds ?? 5000;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.socket = io(options.url, {
      path: options.path,
      transports: ['websocket'],
      autoConnect: false,
      reconnection: options.reconnection ?? true,
      auth: (cb: (data: object) => void) => {
        void Promise.resolve(options.token()).then(
          (token) => cb({ token, lastSeq: this.resumeFrom() ?? undefined }),
          () => cb({ lastSeq: this.resumeFrom() ?? undefined }),
        );
      },
    }) as RadioSocket;
    this.wire();
  }

  /** The highest alert seq shown so far (persist it to resume after a restart). */
  get lastSeq(): number | null {
    return this.seq;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  on<E extends keyof RadioClientEvents>(event: E, listener: RadioClientEvents[E]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /** Connects; resolves once the replay is done and alerts are live, rejects when refused. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const offLive = this.on('live', () => {
        offLive();
        offRefused();
        resolve();
      });
      const offRefused = this.on('refused', (error) => {
        offLive();
        offRefused();
        reject(new RadioRequestError(error));
      });
      this.socket.connect();
    });
  }

  /** Drops the connection (the server forgets this socket); connect() resumes from lastSeq. */
  disconnect(): void {
    this.socket.disconnect();
  }

  close(): void {
    this.socket.disconnect();
    for (const set of Object.values(this.listeners)) {
      set.clear();
    }
  }

  /** Acknowledges an alert; repeating it is harmless (recorded is then false). */
  ack(alertId: string): Promise<AckResponse> {
    return this.request<AckResponse>((done) => this.socket.emit('ack', { alertId }, done));
  }

  /** Which stores are on the channel now (coordinators, admins and police only). */
  presence(): Promise<PresencePayload> {
    return this.request<PresencePayload>((done) => this.socket.emit('presence', done));
  }

  private wire(): void {
    this.socket.on('connect', () => {
      // Until the server's first replay batch arrives, live alerts wait behind it.
      this.held ??= [];
      this.replaying += 1;
    });
    this.socket.on('welcome', (payload) => this.emit('welcome', payload));
    this.socket.on('replay', (batch) => {
      void this.consumeReplay(batch);
    });
    this.socket.on('alert', (alert) => {
      if (this.held) {
        this.held.push(alert);
      } else {
        this.show(alert, false);
      }
    });
    this.socket.on('stale', () => {
      if (this.checkpoint === undefined) {
        this.checkpoint = this.seq;
      }
      // hold live alerts until the replay fills what the radio may have missed
      this.held ??= [];
    });
    this.socket.on('resync', () => {
      this.held ??= [];
      this.replaying += 1;
      void this.replayPage(this.resumeFrom()).then(
        (batch) => this.consumeReplay(batch),
        () => this.replayFailed(),
      );
    });
    this.socket.on('alert:acked', (payload) => this.emit('acked', payload));
    this.socket.on('case:updated', (payload) => this.emit('caseUpdated', payload));
    this.socket.on('evidence:requested', (payload) => this.emit('evidenceRequested', payload));
    this.socket.on('connect_error', (err: Error & { data?: SocketError }) => {
      if (err.data?.code) {
        this.emit('refused', err.data);
      }
    });
    this.socket.on('disconnect', (reason) => {
      this.replaying = 0;
      this.emit('disconnected', reason);
    });
  }

  /** Shows a batch, then asks for the next while `more` is set, then releases held live alerts. */
  private async consumeReplay(batch: ReplayBatch): Promise<void> {
    let current: ReplayBatch | undefined = batch;
    let previous = -1;
    let first = true;
    try {
      while (current) {
        for (const alert of current.alerts) {
          this.show(alert, true);
        }
        // the next batch follows this one (not lastSeq, which live alerts may have moved on); a
        // page that does not move past the previous one ends the replay rather than loop on it.
        // A first page that is empty with `more` (a busy radio) is asked again, from null too.
        const last: number | null = current.alerts.at(-1)?.seq ?? this.seq;
        const forward: boolean = last === null ? first && current.alerts.length === 0 : last > previous;
        first = false;
        previous = last ?? previous;
        current = current.more && forward ? await this.replayPage(last) : undefined;
      }
      this.endReplay();
    } catch {
      this.replayFailed();
    }
  }

  /** One replay page; a refusal for now (rate limit, no answer) is asked again after a wait. */
  private async replayPage(afterSeq: number | null): Promise<ReplayBatch> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request<ReplayBatch>((done) => this.socket.emit('replay', { afterSeq }, done));
      } catch (err) {
        const retryable = err instanceof RadioRequestError && RETRYABLE.has(err.error.code);
        if (!retryable || attempt >= REPLAY_RETRY_MS.length || !this.socket.connected) {
          throw err;
        }
        await new Promise((r) => setTimeout(r, REPLAY_RETRY_MS[attempt]));
      }
    }
  }

  /**
   * The rest of a replay could not be had: held live alerts are dropped (the replay brings them
   * again) and the client reconnects, so the handshake replays from the last alert shown rather
   * than leaving a gap.
   */
  private replayFailed(): void {
    this.held = null;
    this.replaying = 0;
    // a socket already closed (by the app, or the network) resumes on its own next connect
    if (this.socket.connected) {
      this.socket.disconnect().connect();
    }
  }

  private resumeFrom(): number | null {
    return this.checkpoint === undefined ? this.seq : this.checkpoint;
  }

  private endReplay(): void {
    this.replaying = Math.max(0, this.replaying - 1);
    if (this.replaying > 0 || !this.held) {
      return;
    }
    this.checkpoint = undefined;
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = null;
    for (const alert of held) {
      this.show(alert, false);
    }
    this.emit('live');
  }

  private show(alert: AlertPayload, replayed: boolean): void {
    if (this.seen.has(alert.id)) {
      return;
    }
    this.seen.add(alert.id);
    this.seenOrder.push(alert.id);
    if (this.seenOrder.length > this.rememberIds) {
      this.seen.delete(this.seenOrder.shift() as string);
    }
    if (this.seq === null || alert.seq > this.seq) {
      this.seq = alert.seq;
    }
    this.emit('alert', alert, { replayed });
  }

  private request<T>(send: (done: (res: SocketResult<T>) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new RadioRequestError({ code: 'TIMEOUT', message: 'No answer from the radio', requestId: '' }),
          ),
        this.timeoutMs,
      );
      send((res) => {
        clearTimeout(timer);
        if (res.ok) {
          resolve(res.data);
        } else {
          reject(new RadioRequestError(res.error));
        }
      });
    });
  }

  private emit<E extends keyof RadioClientEvents>(event: E, ...args: Parameters<RadioClientEvents[E]>): void {
    for (const listener of this.listeners[event]) {
      (listener as (...a: Parameters<RadioClientEvents[E]>) => void)(...args);
    }
  }
}
