import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { createRootLogger } from '@app/logging';
import { HttpClient, type TestApi, testServiceUrls } from '@app/testing';
import { createApiApp } from '../../apps/api/src/configure-app';
import type { OwnPostgres } from './own-postgres';

/** Config for an api or worker on a test's own PostgreSQL (and its own or the shared Redis). */
export function ownConfig(pg: OwnPostgres, overrides: Record<string, string> = {}): AppConfig {
  return AppConfig.from({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url('hub_app'),
    DATABASE_MIGRATION_URL: pg.url('hub_owner'),
    REDIS_URL: testServiceUrls().REDIS_URL,
    REDIS_PREFIX: `rel-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_LOCK_DURATION_MS: '2000',
    QUEUE_STALLED_INTERVAL_MS: '500',
    STORAGE_DIR: `.data/test/storage-rel-${pg.port}`,
    // load tests (R4) file far more reports a minute from one sender than production allows
    REPORT_RATE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
}

/** Runs every migration on the own cluster's database as the owner; returns the owner connection. */
export async function migrateOwn(config: AppConfig): Promise<DataSource> {
  const owner = new DataSource(dataSourceOptions(config, { asOwner: true, entities: ALL_ENTITIES }));
  await owner.initialize();
  await owner.runMigrations({ transaction: 'each' });
  return owner;
}

/** The api as main.ts builds it on `config`, shaped like startTestApi()'s TestApi. */
export async function startApiOn(config: AppConfig, owner: DataSource, name: string): Promise<TestApi> {
  const app = await createApiApp(config, createRootLogger(config.log.level, false, 'api'));
  await app.listen(0, '127.0.0.1');
  const http = new HttpClient((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  return {
    db: { name, config, owner, drop: async () => undefined },
    app,
    http,
    close: async () => {
      await app.close();
    },
  };
}
