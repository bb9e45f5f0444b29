import 'reflect-metadata';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { type AppConfig } from '@app/config';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { PinoTypeOrmLogger } from './typeorm-logger';

export const MIGRATIONS_GLOB = join(__dirname, 'migrations', '*.{ts,js}');

export interface DataSourceChoice {
  /** connect as the table owner (migrations) instead of the non-owner role row-level security binds */
  asOwner?: boolean;
  /** the tables mapped: `ALL_ENTITIES` from `@app/schema` (one database, every process maps it all) */
  entities: DataSourceOptions['entities'];
}

/** Options for the app's connection or, with `asOwner`, the migrations'. */
export function dataSourceOptions(
  config: AppConfig,
  { asOwner = false, entities }: DataSourceChoice,
): DataSourceOptions {
  const poolSize = asOwner ? 2 : config.db.poolSize;
  return {
    type: 'postgres',
    url: asOwner ? config.db.migrationUrl : config.db.url,
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    // through pino, SQL text only (TypeORM's own loggers print the parameters: personal data)
    ...(config.log.level === 'silent'
      ? { logging: false }
      : {
          logging: ['error', 'warn', 'migration'],
          logger: new PinoTypeOrmLogger(config.testDefects.has('typeorm-logs-parameters')),
        }),
    poolSize,
    extra: {
      // Connections stay open once made (pg's pool closes them after 10 s idle by default): a new
      // one costs ~30 ms here (the SCRAM handshake, then the new backend's catalog caches and its
      // named statements' first plans), which the first request after a quiet spell would pay.
      min: poolSize,
      // waiting for a pooled connection under load; a stopped server still fails at once (503)
      connectionTimeoutMillis: 10000,
      // A dead server must fail fast with 503, not hang the request.
      query_timeout: 15000,
      application_name: asOwner ? 'hub-migrate' : 'hub-app',
    },
  };
}
