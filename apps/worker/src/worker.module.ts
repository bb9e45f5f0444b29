import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule, RetentionRepository } from '@app/database';
import { QueueModule } from '@app/queue';
import { RealtimePublisher } from '@app/realtime';
import { AGGREGATION_PROCESSORS, AGGREGATION_PROVIDERS } from './aggregation';
import { EVIDENCE_EXPORT_PROCESSORS, EVIDENCE_EXPORT_PROVIDERS } from './evidence-export';
import { OutboxRelay } from './outbox-relay/outbox-relay.service';
import { REPORT_PROCESSORS, REPORT_PROVIDERS } from './reports';
import { RetentionProcessor } from './retention/retention.processor';
import { SERIAL_OFFENDER_PROCESSORS, SERIAL_OFFENDER_PROVIDERS } from './serial-offenders';
import { PROCESSORS, WorkerService } from './worker.service';

const PROCESSOR_CLASSES = [RetentionProcessor, ...AGGREGATION_PROCESSORS, ...SERIAL_OFFENDER_PROCESSORS, ...REPORT_PROCESSORS, ...EVIDENCE_EXPORT_PROCESSORS];

@Module({})
export class WorkerModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, QueueModule],
      providers: [
        ...PROCESSOR_CLASSES,
        RetentionRepository,
        ...AGGREGATION_PROVIDERS,
        ...REPORT_PROVIDERS,
        ...SERIAL_OFFENDER_PROVIDERS,
        ...EVIDENCE_EXPORT_PROVIDERS,
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
