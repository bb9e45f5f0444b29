import { Module } from '@nestjs/common';
import { CaseRepository } from './case.repository';
import { EvidencePackRepository } from './evidence-pack.repository';

const PROVIDERS = [CaseRepository, EvidencePackRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class CasesModule {}
