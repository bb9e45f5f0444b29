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

/**
 * Compiles apps/radio/src and libs/* (not libs/testing) with swc, the way jest's transform does
 * (legacy decorators with metadata, `@app/*` rewritten to relative paths), into
 * node_modules/.cache/hub-radio/<hash of the sources>, once per source state; returns main.js.
 * Works on a fresh clone (no `nest build`), and a spawned radio then only loads JavaScript.
 */
export function buildRadio(): string {
  const files = [
    ...sources(join(ROOT, 'apps/radio/src')),
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
  const out = join(ROOT, 'node_modules/.cache/hub-radio', hash.digest('hex').slice(0, 16));
  const main = join(out, 'apps/radio/src/main.js');
  if (existsSync(main)) {
    return main;
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
  return main;
}

/**
 * The radio (apps/radio/src/main.ts) as its own OS process, so a fault can SIGKILL it: the swc
 * build of buildRadio() run by plain node (ts-node with swc took twice as long to listen).
 */
export class RadioProcess {
  readonly startedAt = Date.now();
  readyAt = 0;
  exitedAt = 0;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    readonly name: string,
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

  /**
   * Spawns a radio on `config`'s PostgreSQL and Redis prefix with `redisUrl`; resolves once its
   * port accepts connections (main.ts listens only after the Redis adapter is connected).
   */
  static async start(
    name: string,
    config: AppConfig,
    redisUrl: string,
    logDir: string,
    extraEnv: Record<string, string> = {},
  ): Promise<RadioProcess> {
    const port = await freePort();
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${name}.log`);
    const fd = openSync(logFile, 'w');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      DATABASE_URL: config.db.url,
      DATABASE_MIGRATION_URL: config.db.migrationUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: config.redis.prefix,
      JWT_SECRET: config.auth.jwtSecret,
      JWT_ACCESS_TTL_SECONDS: String(config.auth.accessTtlSeconds),
      API_HOST: '127.0.0.1',
      RADIO_PORT: String(port),
      RADIO_PATH: config.radio.path,
      LOG_LEVEL: process.env.TEST_RADIO_LOG_LEVEL ?? 'warn',
      ...extraEnv,
    };
    const child = spawn(process.execPath, [buildRadio()], {
      cwd: ROOT,
      env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const radio = new RadioProcess(name, port, child, logFile);
    await eventually(
      async () => {
        if (radio.exit) {
          throw new Error(
            `radio ${name} exited during start (${JSON.stringify(radio.exit)}); see ${logFile}`,
          );
        }
        await new Promise<void>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => {
            s.destroy();
            resolve();
          });
          s.once('error', reject);
        });
      },
      60_000,
      50,
    );
    radio.readyAt = Date.now();
    return radio;
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

  /** Graceful stop (SIGTERM: Nest's shutdown hooks hand sockets over), SIGKILL after 5 s. */
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
