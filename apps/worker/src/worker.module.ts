import { type DynamicModule, Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { MetricsModule, ShutdownDrain } from '@app/metrics';
import { TracingShutdown } from '@app/observability';
import { OffendersModule } from '@app/offenders';
import { PrivacyModule } from '@app/privacy';
import { QueueModule } from '@app/queue';
import { RealtimePublisher } from '@app/realtime';
import { ALL_ENTITIES } from '@app/schema';
import { StatsModule } from '@app/stats';
import { StorageModule } from '@app/storage';
import { AGGREGATION_PROCESSORS } from './aggregation';
import { EVIDENCE_EXPORT_PROCESSORS } from './evidence-export';
import { WorkerHttpServer } from './ops/worker-http.server';
import { WorkerMetrics } from './ops/worker-metrics';
import { OutboxRelay } from './outbox-relay/outbox-relay.service';
import { REPORT_PROCESSORS } from './reports';
import { RetentionProcessor } from './retention/retention.processor';
import { SERIAL_OFFENDER_PROCESSORS } from './serial-offenders';
import { PROCESSORS, WorkerService } from './worker.service';

const PROCESSOR_CLASSES = [
  RetentionProcessor,
  ...AGGREGATION_PROCESSORS,
  ...SERIAL_OFFENDER_PROCESSORS,
  ...REPORT_PROCESSORS,
  ...EVIDENCE_EXPORT_PROCESSORS,
];

@Module({})
export class WorkerModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(ALL_ENTITIES),
        MetricsModule.forRoot(),
        StorageModule,
        QueueModule,
        StatsModule,
        OffendersModule,
        CasesModule,
        PrivacyModule,
      ],
      providers: [
        // first in the root module: turns /ready 503 and drains before anything closes
        ShutdownDrain,
        TracingShutdown,
        WorkerMetrics,
        WorkerHttpServer,
        ...PROCESSOR_CLASSES,
        {
          provide: PROCESSORS,
          inject: PROCESSOR_CLASSES,
          useFactory: (...processors: unknown[]) => processors,
        },
        WorkerService,
        OutboxRelay,
        RealtimePublisher,
      ],
    };
  }
}
