import { Module } from '@nestjs/common';
import { AlertsModule } from '@app/alerts';
import { OffendersModule } from '@app/offenders';
import { AlertRateLimiter } from './alert-rate-limiter';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({
  imports: [AlertsModule, OffendersModule],
  controllers: [AlertsController],
  providers: [AlertsService, AlertRateLimiter],
})
export class AlertsApiModule {}
