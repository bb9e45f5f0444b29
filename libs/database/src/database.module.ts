import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AppConfig } from '@app/config';
import { Clock } from './clock';
import { dataSourceOptions } from './data-source';
import { AccessLogRepository, IdempotencyRepository } from './repositories';
import { SystemDb, TenantDb } from './tenant-db';

const PROVIDERS = [TenantDb, SystemDb, Clock, IdempotencyRepository, AccessLogRepository];

/**
 * The app's connection (non-owner role), the two transaction helpers and the infrastructure
 * repositories. The app passes the schema (`ALL_ENTITIES` from `@app/schema`): one database, so
 * every process maps every table, whichever features it imports.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: DataSourceOptions['entities']): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => dataSourceOptions(config, { entities }),
        }),
      ],
      providers: PROVIDERS,
      exports: PROVIDERS,
    };
  }
}
