// The one place that talks HTTP to the api: bearer tokens, refresh (single-flight, across tabs),
// device re-login, and the error shape turned into ApiError. Screens never call fetch themselves.
import type { ActorSummary, ErrorBody, ErrorDetail, TokenResponse } from './types';

const SESSION_KEY = 'hub.session';
/** refresh this long before the access token expires */
const EARLY_MS = 30_000;

export interface Session {
  accessToken: string;
  /** absent for tablets (device credential instead) */
  refreshToken?: string;
  /** epoch ms */
  expiresAt: number;
  actor: ActorSummary;
  /** an enrolled tablet's credential, to sign in again when its access token expires */
  deviceCredential?: string;
}

/** An answer from the api that is not 2xx, with its message and per-field problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId = '',
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** problems keyed by field name (`goods[0].quantity`, `narrative`, ...) */
  fieldProblems(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      out[d.field] = d.problems.join('; ');
    }
    return out;
  }
}

/** The request never reached the api (offline, DNS, connection refused). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('No connection to the hub');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** The session is gone (signed out, revoked or refresh refused): sign in again. */
export class SignedOutError extends ApiError {
  constructor(message = 'Your session has ended. Please sign in again.') {
    super(401, 'UNAUTHENTICATED', message);
    this.name = 'SignedOutError';
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** no bearer token (login, refresh, public routes) */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** raw body (a Blob or FormData) instead of JSON */
  raw?: BodyInit;
  /** the path is from the site's root, not under /api/v1 (/.well-known/…) */
  root?: boolean;
}

type Listener = (session: Session | null) => void;

function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function toSession(t: TokenResponse, deviceCredential?: string): Session {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: Date.now() + t.expiresIn * 1000,
    actor: t.actor,
    deviceCredential,
  };
}

async function parseError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // not JSON (a proxy's page): fall back to the status text
  }
  return new ApiError(
    res.status,
    body.code ?? `HTTP_${res.status}`,
    body.message ?? (res.statusText || `The hub answered ${res.status}`),
    body.details ?? [],
    body.requestId ?? res.headers.get('x-request-id') ?? '',
  );
}

export class ApiClient {
  private session: Session | null = readSession();
  private refreshing: Promise<Session> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly base = '/api/v1') {
    // another tab signed in, refreshed or signed out
    window.addEventListener('storage', (e) => {
      if (e.key === SESSION_KEY) {
        this.session = readSession();
        this.notify();
      }
    });
  }

  get current(): Session | null {
    return this.session;
  }

  onSession(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(email: string, password: string): Promise<Session> {
    const t = await this.request<TokenResponse>('POST', '/auth/login', {
      body: { email, password },
      anonymous: true,
    });
    return this.store(toSession(t));
  }

  /** An enrolled till tablet signs in with its credential (kept on the device). */
  async deviceLogin(credential: string): Promise<Session> {
    const t = await this.request<TokenResponse>('POST', '/auth/device', {
      body: { credential },
      anonymous: true,
    });
    return this.store(toSession(t, credential));
  }

  async logout(): Promise<void> {
    try {
      if (this.session) {
        await this.request<void>('POST', '/auth/logout');
      }
    } catch {
      // signing out locally matters more than telling the server
    } finally {
      this.store(null);
    }
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const s = this.session;
    if (!s) {
      throw new SignedOutError('Please sign in.');
    }
    if (s.expiresAt - EARLY_MS > Date.now()) {
      return s.accessToken;
    }
    return (await this.refresh()).accessToken;
  }

  get<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body });
  }

  /** Any call; retries once after refreshing when the api says 401. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts, false);
    if (res.status === 401 && !opts.anonymous && this.session) {
      await this.refresh(true);
      return this.finish<T>(await this.send(method, path, opts, true));
    }
    return this.finish<T>(res);
  }

  /** The raw response (downloads: CSV, packs), after the same auth handling. */
  async fetchRaw(path: string, opts: RequestOptions = {}): Promise<Response> {
    let res = await this.send('GET', path, opts, false);
    if (res.status === 401 && this.session) {
      await this.refresh(true);
      res = await this.send('GET', path, opts, true);
    }
    if (!res.ok) {
      throw await parseError(res);
    }
    return res;
  }

  /** A file from the api (a pack: POST with a JSON body), with its name and declared SHA-256. */
  async download(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ blob: Blob; filename: string; sha256: string | null }> {
    const opts: RequestOptions = { body, headers: { accept: '*/*' } };
    let res = await this.send(method, path, opts, false);
    if (res.status === 401 && this.session) {
      await this.refresh(true);
      res = await this.send(method, path, opts, true);
    }
    if (!res.ok) {
      throw await parseError(res);
    }
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'download';
    return { blob: await res.blob(), filename, sha256: res.headers.get('x-content-sha256') };
  }

  private async send(method: string, path: string, opts: RequestOptions, retried: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (!opts.anonymous) {
      headers.authorization = `Bearer ${retried ? this.session?.accessToken : await this.accessToken()}`;
    }
    let body: BodyInit | undefined = opts.raw;
    if (opts.body !== undefined && !opts.raw) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await fetch((opts.root ? '' : this.base) + path, { method, headers, body, signal: opts.signal, cache: 'no-store' });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        throw err;
      }
      throw new NetworkError(err);
    }
  }

  private async finish<T>(res: Response): Promise<T> {
    if (res.status === 401 && this.session) {
      this.store(null);
      throw new SignedOutError();
    }
    if (!res.ok) {
      throw await parseError(res);
    }
    if (res.status === 204) {
      return undefined as T;
    }
    return (await res.json()) as T;
  }

  /**
   * One refresh at a time in this tab, and across tabs through a Web Lock: refresh tokens rotate,
   * and presenting an old one revokes the whole session. Inside the lock we re-read storage in case
   * another tab already rotated it.
   */
  private refresh(force = false): Promise<Session> {
    this.refreshing ??= this.withLock(async () => {
      const stored = readSession();
      const before = this.session;
      if (stored && before && stored.accessToken !== before.accessToken && stored.expiresAt - EARLY_MS > Date.now()) {
        return this.store(stored);
      }
      const s = stored ?? before;
      if (!s) {
        throw new SignedOutError('Please sign in.');
      }
      if (!force && s.expiresAt - EARLY_MS > Date.now()) {
        return this.store(s);
      }
      try {
        if (s.deviceCredential) {
          return await this.deviceLogin(s.deviceCredential);
        }
        if (!s.refreshToken) {
          throw new SignedOutError();
        }
        const t = await this.request<TokenResponse>('POST', '/auth/refresh', {
          body: { refreshToken: s.refreshToken },
          anonymous: true,
        });
        return this.store(toSession(t));
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          this.store(null);
          throw new SignedOutError();
        }
        throw err;
      }
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? locks.request('hub-token-refresh', work) : work();
  }

  private store(session: Session | null): Session {
    this.session = session;
    if (session) {
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    } else {
      localStorage.removeItem(SESSION_KEY);
    }
    this.notify();
    return session as Session;
  }

  private notify(): void {
    for (const l of this.listeners) {
      l(this.session);
    }
  }
}

export const api = new ApiClient();

/** The message to show for any failure. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError || err instanceof NetworkError) {
    return err.message;
  }
  return err instanceof Error ? err.message : 'Something went wrong';
}
