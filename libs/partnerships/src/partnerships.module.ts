import { Module } from '@nestjs/common';
import { MemberBusinessRepository } from './member-business.repository';
import { PartnershipRepository } from './partnership.repository';
import { StoreRepository } from './store.repository';

const PROVIDERS = [MemberBusinessRepository, PartnershipRepository, StoreRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class PartnershipsModule {}
