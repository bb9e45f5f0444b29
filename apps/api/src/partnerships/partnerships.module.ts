import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { PartnershipsModule } from '@app/partnerships';
import { AuthApiModule } from '../auth/auth.module';
import { PartnershipsController } from './partnerships.controller';
import { PartnershipsService } from './partnerships.service';

@Module({
  imports: [AuthApiModule, IdentityModule, PartnershipsModule],
  controllers: [PartnershipsController],
  providers: [PartnershipsService],
})
export class PartnershipsApiModule {}
