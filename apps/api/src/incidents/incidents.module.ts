import { Module } from '@nestjs/common';
import {
  IdempotencyRepository,
  IncidentRepository,
  ReferenceRepository,
  StatementRepository,
} from '@app/database';
import { ReportRateLimiter } from '../http/actor-rate-limiter';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { StatementsController } from './statements.controller';
import { StatementsService } from './statements.service';

@Module({
  controllers: [IncidentsController, StatementsController],
  providers: [
    IncidentsService,
    StatementsService,
    IncidentRepository,
    ReferenceRepository,
    StatementRepository,
    IdempotencyRepository,
    IdempotencyInterceptor,
    ReportRateLimiter,
  ],
  exports: [IncidentsService],
})
export class IncidentsModule {}
