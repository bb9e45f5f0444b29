import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { MetricsModule, ShutdownDrain } from '@app/metrics';
import { TracingShutdown } from '@app/observability';
import { ALL_ENTITIES } from '@app/schema';
import { RedisModule } from '@app/redis';
import { StorageModule } from '@app/storage';
import { AlertsApiModule } from './alerts/alerts.module';
import { AuditApiModule } from './audit/audit.module';
import { AuthApiModule } from './auth/auth.module';
import { CasesApiModule } from './cases/cases.module';
import { ClientConfigApiModule } from './client-config/client-config.module';
import { EvidenceApiModule } from './evidence/evidence.module';
import { IncidentsApiModule } from './incidents/incidents.module';
import { OffendersApiModule } from './offenders/offenders.module';
import { HealthApiModule } from './health/health.module';
import { PacksApiModule } from './packs/packs.module';
import { PartnershipsApiModule } from './partnerships/partnerships.module';
import { PrivacyApiModule } from './privacy/privacy.module';
import { StatsApiModule } from './stats/stats.module';

@Module({})
export class ApiModule {
  /** The whole api; tests pass their own config, main.ts the validated environment. */
  static register(config?: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(ALL_ENTITIES),
        RedisModule,
        StorageModule,
        MetricsModule.forRoot(),
        HealthApiModule,
        AuthApiModule,
        ClientConfigApiModule,
        PartnershipsApiModule,
        AuditApiModule,
        IncidentsApiModule,
        EvidenceApiModule,
        AlertsApiModule,
        CasesApiModule,
        PacksApiModule,
        OffendersApiModule,
        StatsApiModule,
        PrivacyApiModule,
      ],
      // in the root module, so its destroy hook (the drain) runs before any other module closes
      providers: [ShutdownDrain, TracingShutdown],
    };
  }
}
