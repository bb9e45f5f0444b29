import { Module } from '@nestjs/common';
import { RetentionRepository } from './retention.repository';
import { SubjectAccessRepository } from './subject-access.repository';

const PROVIDERS = [RetentionRepository, SubjectAccessRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class PrivacyModule {}
