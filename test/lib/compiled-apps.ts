import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type Server, Socket } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { transformSync, version as swcVersion } from '@swc/core';
import type { AppConfig } from '@app/config';
import { eventually, freePort } from '@app/testing';

const ROOT = join(__dirname, '..', '..');

/** Every radio child still alive, so a crashed spec does not leave them behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      sources(full, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

export type AppName = 'api' | 'radio' | 'worker';

/**
 * Compiles apps/{api,radio,worker}/src and libs/* (not libs/testing) with swc, the way jest's
 * transform does (legacy decorators with metadata, `@app/*` rewritten to relative paths), into
 * node_modules/.cache/hub-apps/<hash of the sources>, once per source state (about 1 s); returns
 * the build root. Works on a fresh clone (no `nest build`); a spawned app then loads JavaScript
 * only, which on this 2-core machine listens in well under half the time ts-node takes.
 */
export function buildApps(): string {
  const apps: AppName[] = ['api', 'radio', 'worker'];
  const files = [
    ...apps.flatMap((a) => sources(join(ROOT, 'apps', a, 'src'))),
    ...readdirSync(join(ROOT, 'libs'))
      .filter((l) => l !== 'testing' && existsSync(join(ROOT, 'libs', l, 'src')))
      .flatMap((l) => sources(join(ROOT, 'libs', l, 'src'))),
  ].sort();
  const hash = createHash('sha256').update(swcVersion);
  const texts = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    hash.update(relative(ROOT, f)).update('\0').update(text).update('\0');
    return text;
  });
  const out = join(ROOT, 'node_modules/.cache/hub-apps', hash.digest('hex').slice(0, 16));
  if (existsSync(join(out, 'apps/radio/src/main.js'))) {
    return out;
  }
  const tmp = `${out}.tmp-${process.pid}-${Date.now()}`;
  files.forEach((f, i) => {
    const { code } = transformSync(texts[i], {
      filename: f,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        baseUrl: ROOT,
        paths: { '@app/*': ['libs/*/src'] },
      },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const target = join(tmp, relative(ROOT, f)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  });
  try {
    renameSync(tmp, out);
  } catch {
    // another spec built the same sources first
    rmSync(tmp, { recursive: true, force: true });
  }
  pruneBuilds(dirname(out));
  return out;
}

/** Keeps the five newest builds, and any from the last hour (a running spec may still load one). */
function pruneBuilds(dir: string): void {
  const builds = readdirSync(dir)
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const b of builds.slice(5)) {
    if (Date.now() - b.mtime > 3_600_000) {
      rmSync(b.path, { recursive: true, force: true });
    }
  }
}

/** What an app child needs to run on `config` (its database, Redis prefix, secrets, queue timings). */
export function childEnv(config: AppConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    DATABASE_URL: config.db.url,
    DATABASE_MIGRATION_URL: config.db.migrationUrl,
    DB_POOL_SIZE: String(config.db.poolSize),
    REDIS_URL: config.redis.url,
    REDIS_PREFIX: config.redis.prefix,
    JWT_SECRET: config.auth.jwtSecret,
    JWT_ACCESS_TTL_SECONDS: String(config.auth.accessTtlSeconds),
    QUEUE_LOCK_DURATION_MS: String(config.queue.lockDurationMs),
    QUEUE_STALLED_INTERVAL_MS: String(config.queue.stalledIntervalMs),
    QUEUE_CONCURRENCY: String(config.queue.concurrency),
    STORAGE_DIR: config.storage.dir,
    API_HOST: '127.0.0.1',
    RADIO_PATH: config.radio.path,
    ALERT_RATE_LIMIT_PER_MINUTE: String(config.radio.alertRateLimitPerMinute),
    // the test profile's limits: a load test files far more than 60 reports a minute from one sender
    REPORT_RATE_LIMIT_PER_MINUTE: String(config.limits.reportsPerMinute),
    PACK_RATE_LIMIT_PER_HOUR: String(config.limits.packsPerHour),
    LOG_LEVEL: process.env.TEST_CHILD_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

const portOpen = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve();
    });
    s.once('error', reject);
  });

/**
 * An app (api, radio or worker main.ts) as its own OS process, so a fault can SIGKILL it: the swc
 * build of buildApps() run by plain node, output in a log file, tracked and killed by PID.
 */
export class AppChild {
  readonly startedAt = Date.now();
  readyAt = 0;
  exitedAt = 0;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    readonly name: string,
    /** the HTTP port: the api's, the radio's, or the worker's probe and metrics server (WORKER_HTTP_PORT) */
    readonly port: number,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    live.add(child);
    child.once('exit', (code, signal) => {
      this.exitedAt = Date.now();
      this.exit = { code, signal };
      live.delete(child);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get startupMs(): number {
    return this.readyAt ? this.readyAt - this.startedAt : -1;
  }

  /**
   * Spawns `app` with `env` (childEnv) and resolves once it is ready: the radio and the api when
   * their port accepts connections (both listen only once Redis and PostgreSQL are wired), the worker
   * once it has logged that it started (its log level is raised to info for that line).
   */
  static async start(
    app: AppName,
    name: string,
    env: Record<string, string>,
    logDir: string,
  ): Promise<AppChild> {
    const port = await freePort();
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${name}.log`);
    const fd = openSync(logFile, 'w');
    const child = spawn(process.execPath, [join(buildApps(), 'apps', app, 'src/main.js')], {
      cwd: ROOT,
      env: {
        ...env,
        ...(app === 'radio' ? { RADIO_PORT: String(port) } : {}),
        ...(app === 'api' ? { API_PORT: String(port) } : {}),
        // each worker its own probe port, so several run side by side
        ...(app === 'worker' ? { LOG_LEVEL: 'info', WORKER_HTTP_PORT: String(port) } : {}),
      },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const proc = new AppChild(name, port, child, logFile);
    await eventually(
      async () => {
        if (proc.exit) {
          throw new Error(`${name} exited during start (${JSON.stringify(proc.exit)}); see ${logFile}`);
        }
        if (app === 'worker') {
          if (!readFileSync(logFile, 'utf8').includes('"msg":"worker started"')) {
            throw new Error(`${name} not started yet; see ${logFile}`);
          }
        } else {
          await portOpen(port);
        }
      },
      60_000,
      50,
    );
    proc.readyAt = Date.now();
    return proc;
  }

  /** Sends `signal` by PID and waits for the exit. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.exit) {
      return;
    }
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    process.kill(this.pid, signal);
    await gone;
  }

  /** Graceful stop (SIGTERM: Nest's shutdown hooks), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.exit) {
      return;
    }
    const timer = setTimeout(() => {
      if (!this.exit) {
        process.kill(this.pid, 'SIGKILL');
      }
    }, 5000);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }
}

/**
 * A TCP front a load balancer would be: each accepted connection goes to the first upstream that
 * accepts it (so a dead radio's clients land on the other one), and a closed upstream closes the
 * client side. Loopback only; counts where connections went.
 */
export class FailoverFront {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  readonly accepted: number[];

  constructor(private readonly upstreams: { port: number }[]) {
    this.accepted = upstreams.map(() => 0);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => this.handle(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) {
      s.destroy();
    }
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }

  private handle(client: Socket): void {
    this.track(client);
    client.pause();
    const attempt = (i: number) => {
      if (i >= this.upstreams.length) {
        client.destroy();
        return;
      }
      const upstream = new Socket();
      let connected = false;
      upstream.once('error', () => {
        if (!connected) {
          attempt(i + 1);
        }
      });
      upstream.connect(this.upstreams[i].port, '127.0.0.1', () => {
        connected = true;
        this.track(upstream);
        if (client.destroyed) {
          upstream.destroy();
          return;
        }
        this.accepted[i] += 1;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    };
    attempt(0);
  }
}
