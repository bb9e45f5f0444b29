import { Module } from '@nestjs/common';
import { LegalHoldRepository } from './legal-hold.repository';
import { RetentionRepository } from './retention.repository';
import { SubjectAccessRepository } from './subject-access.repository';

const PROVIDERS = [LegalHoldRepository, RetentionRepository, SubjectAccessRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class PrivacyModule {}
