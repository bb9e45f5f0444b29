import { Module } from '@nestjs/common';
import { IdempotencyRepository, IncidentRepository } from '@app/database';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

@Module({
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentRepository, IdempotencyRepository, IdempotencyInterceptor],
  exports: [IncidentsService],
})
export class IncidentsModule {}
