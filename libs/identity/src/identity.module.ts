import { Module } from '@nestjs/common';
import { DeviceRepository } from './device.repository';
import { SessionRepository } from './session.repository';
import { UserRepository } from './user.repository';

const PROVIDERS = [DeviceRepository, SessionRepository, UserRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class IdentityModule {}
