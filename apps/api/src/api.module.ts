import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { RedisModule } from '@app/redis';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { ClientConfigModule } from './client-config/client-config.module';
import { EvidenceModule } from './evidence/evidence.module';
import { IncidentsModule } from './incidents/incidents.module';
import { OffendersModule } from './offenders/offenders.module';
import { HealthModule } from './health/health.module';
import { PacksModule } from './packs/packs.module';
import { PartnershipsModule } from './partnerships/partnerships.module';
import { PrivacyModule } from './privacy/privacy.module';
import { StatsModule } from './stats/stats.module';

@Module({})
export class ApiModule {
  /** The whole api; tests pass their own config, main.ts the validated environment. */
  static register(config?: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        HealthModule,
        AuthModule,
        ClientConfigModule,
        PartnershipsModule,
        AuditModule,
        IncidentsModule,
        EvidenceModule,
        AlertsModule,
        CasesModule,
        PacksModule,
        OffendersModule,
        StatsModule,
        PrivacyModule,
      ],
    };
  }
}
