import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { eventually } from './own-redis';
import { testServiceUrls } from './test-services';

export interface TestDatabase {
  name: string;
  config: AppConfig;
  /** a connection as the table owner, for fixtures and assertions RLS would hide */
  owner: DataSource;
  drop(): Promise<void>;
}

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Config for tests: its own database and Redis prefix, quiet logs, short queue timings. */
export function testConfig(databaseName: string, overrides: Record<string, string> = {}): AppConfig {
  const urls = testServiceUrls();
  return AppConfig.from({
    NODE_ENV: 'test',
    DATABASE_URL: withDb(urls.DATABASE_URL, databaseName),
    DATABASE_MIGRATION_URL: withDb(urls.DATABASE_MIGRATION_URL, databaseName),
    REDIS_URL: urls.REDIS_URL,
    REDIS_PREFIX: `t-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_LOCK_DURATION_MS: '2000',
    QUEUE_STALLED_INTERVAL_MS: '500',
    STORAGE_DIR: `.data/test/storage-${databaseName}`,
    // fuzz and load tests file far more reports a minute from one sender than production allows;
    // test/security/s7-rate-limits sets the production default back and tests the limit itself
    REPORT_RATE_LIMIT_PER_MINUTE: '100000',
    // the worker's probe server on an ephemeral port; no drain before a test's app stops
    WORKER_HTTP_PORT: '0',
    SHUTDOWN_DRAIN_MS: '0',
    ...overrides,
  });
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: withDb(testServiceUrls().DATABASE_MIGRATION_URL, 'hub') });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/**
 * A closed client's backend exits a moment after its socket closes, and leaves pg_stat_activity
 * before it leaves the list DROP … WITH (FORCE) terminates; the owner role may not terminate the
 * app role's backends, so the DROP fails (42501) in that moment. Retry it until the backends have
 * gone; one still there after 15 s is a leak, and the error then names it.
 */
async function dropDatabase(name: string, owner: DataSource): Promise<void> {
  await owner.destroy();
  await admin(async (c) => {
    try {
      await eventually(() => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), 15_000, 50);
    } catch (err) {
      const { rows } = await c.query(
        `SELECT usename, application_name, state, left(query, 120) AS query
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      throw new Error(`could not drop ${name}: ${(err as Error).message}; still connected: ${JSON.stringify(rows)}`);
    }
  });
}

/** A fresh database copied from the migrated template (made once by the global setup). */
export async function createTestDatabase(
  overrides: Record<string, string> = {},
  template = process.env.HUB_TEST_TEMPLATE,
): Promise<TestDatabase> {
  if (!template) {
    throw new Error('HUB_TEST_TEMPLATE is not set: run integration tests through jest (global setup)');
  }
  return openDatabase(`TEMPLATE ${template} OWNER hub_owner`, overrides);
}

/** An empty database (no migrations), for migration tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  return openDatabase('OWNER hub_owner');
}

async function openDatabase(options: string, overrides: Record<string, string> = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} ${options}`));
  const config = testConfig(name, overrides);
  const owner = new DataSource(dataSourceOptions(config, { asOwner: true, entities: ALL_ENTITIES }));
  await owner.initialize();
  return { name, config, owner, drop: () => dropDatabase(name, owner) };
}

export { admin as withAdminClient };
