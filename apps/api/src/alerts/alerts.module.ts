import { Module } from '@nestjs/common';
import {
  AlertRepository,
  RadioSettingsRepository,
  ReferenceRepository,
  TalkGroupRepository,
} from '@app/database';
import { AlertRateLimiter } from './alert-rate-limiter';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({
  controllers: [AlertsController],
  providers: [
    AlertsService,
    AlertRateLimiter,
    AlertRepository,
    TalkGroupRepository,
    RadioSettingsRepository,
    ReferenceRepository,
  ],
})
export class AlertsModule {}
