import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '@app/testing';

const isRoot = process.getuid?.() === 0;

function pgBin(): string {
  for (const dir of ['/usr/lib/postgresql/15/bin', '/usr/local/pgsql/bin']) {
    if (existsSync(join(dir, 'pg_ctl'))) {
      return dir;
    }
  }
  throw new Error('PostgreSQL 15 binaries not found');
}

function asPostgres(bin: string, args: string[]): SpawnSyncReturns<string> {
  return isRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' })
    : spawnSync(bin, args, { encoding: 'utf8' });
}

/**
 * A PostgreSQL 15 cluster of a test's own (initdb into a temp directory, free loopback port,
 * durable settings) that it may stop with `-m immediate` and start again, never touching the
 * shared test services. Same roles as scripts/services.mjs: hub_owner migrates, hub_app owns
 * nothing and lacks BYPASSRLS.
 */
export class OwnPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'hub-pg-'));
  private readonly bin = pgBin();

  private constructor(readonly port: number) {}

  static async start(settings: Record<string, string> = {}): Promise<OwnPostgres> {
    const pg = new OwnPostgres(await freePort());
    pg.init(settings);
    pg.start();
    await pg.bootstrap();
    return pg;
  }

  get data(): string {
    return join(this.dir, 'data');
  }

  url(role: 'hub_app' | 'hub_owner', db = 'hub'): string {
    return `postgres://${role}:${role}@127.0.0.1:${this.port}/${db}`;
  }

  private init(settings: Record<string, string>): void {
    chmodSync(this.dir, 0o755);
    if (isRoot) {
      spawnSync('chown', ['postgres:postgres', this.dir]);
    }
    const r = asPostgres(join(this.bin, 'initdb'), [
      '-D',
      this.data,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    if (r.status !== 0) {
      throw new Error(`initdb failed: ${r.stderr}`);
    }
    const conf = {
      listen_addresses: "'127.0.0.1'",
      port: String(this.port),
      unix_socket_directories: `'${this.dir}'`,
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
      max_connections: '100',
      shared_buffers: '64MB',
      ...settings,
    };
    const extra = Object.entries(conf)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n');
    const file = join(this.dir, 'extra.conf');
    writeFileSync(file, `${extra}\n`);
    if (isRoot) {
      spawnSync('chown', ['postgres:postgres', file]);
    }
    const inc = spawnSync('sh', ['-c', `echo "include '${file}'" >> ${join(this.data, 'postgresql.conf')}`]);
    if (inc.status !== 0) {
      throw new Error('could not write postgresql.conf');
    }
  }

  start(): void {
    const log = join(this.dir, 'postgres.log');
    const r = asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.data, '-l', log, '-w', '-t', '60', 'start']);
    if (r.status !== 0) {
      throw new Error(`PostgreSQL did not start: ${r.stderr}${r.stdout}`);
    }
  }

  /** `pg_ctl stop -m immediate`: no checkpoint, crash recovery on the next start. */
  stopImmediate(): void {
    asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  private async bootstrap(): Promise<void> {
    const psql = (sql: string) => {
      const r = asPostgres(join(this.bin, 'psql'), [
        '-h',
        this.dir,
        '-p',
        String(this.port),
        '-U',
        'postgres',
        '-v',
        'ON_ERROR_STOP=1',
        '-qAt',
        '-c',
        sql,
      ]);
      if (r.status !== 0) {
        throw new Error(`psql failed: ${r.stderr}`);
      }
    };
    psql(`CREATE ROLE hub_owner LOGIN CREATEDB PASSWORD 'hub_owner'`);
    psql(`CREATE ROLE hub_app LOGIN NOBYPASSRLS PASSWORD 'hub_app'`);
    psql(`CREATE DATABASE hub OWNER hub_owner`);
  }

  /** A query as the superuser-free owner role. */
  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.url('hub_owner') });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  destroy(): void {
    this.stopImmediate();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
