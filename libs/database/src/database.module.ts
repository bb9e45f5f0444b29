import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config';
import { Clock } from './clock';
import { dataSourceOptions } from './data-source';
import { SystemDb, TenantDb } from './tenant-db';

/** The app's connection (non-owner role) and the two transaction helpers. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
    }),
  ],
  providers: [TenantDb, SystemDb, Clock],
  exports: [TenantDb, SystemDb, Clock],
})
export class DatabaseModule {}
