import { Module } from '@nestjs/common';
import { AlertRepository } from './alert.repository';
import { RadioSettingsRepository } from './radio-settings.repository';
import { TalkGroupRepository } from './talk-group.repository';

const PROVIDERS = [AlertRepository, RadioSettingsRepository, TalkGroupRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class AlertsModule {}
