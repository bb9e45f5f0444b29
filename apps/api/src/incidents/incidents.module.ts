import { Module } from '@nestjs/common';
import { IncidentsModule } from '@app/incidents';
import { OffendersModule } from '@app/offenders';
import { ReportRateLimiter } from '../http/actor-rate-limiter';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { IncidentsController } from './incidents.controller';
import { ImpactStatementsController } from './impact-statements.controller';
import { IncidentsService } from './incidents.service';
import { StatementsController } from './statements.controller';
import { StatementsService } from './statements.service';

@Module({
  imports: [IncidentsModule, OffendersModule],
  controllers: [IncidentsController, StatementsController, ImpactStatementsController],
  providers: [IncidentsService, StatementsService, IdempotencyInterceptor, ReportRateLimiter],
  exports: [IncidentsService],
})
export class IncidentsApiModule {}
