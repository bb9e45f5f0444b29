import { Module } from '@nestjs/common';
import {
  DeviceRepository,
  MemberBusinessRepository,
  PartnershipRepository,
  StoreRepository,
  UserRepository,
} from '@app/database';
import { AuthModule } from '../auth/auth.module';
import { PartnershipsController } from './partnerships.controller';
import { PartnershipsService } from './partnerships.service';

@Module({
  imports: [AuthModule],
  controllers: [PartnershipsController],
  providers: [
    PartnershipsService,
    PartnershipRepository,
    MemberBusinessRepository,
    StoreRepository,
    UserRepository,
    DeviceRepository,
  ],
})
export class PartnershipsModule {}
