import { Module } from '@nestjs/common';
import { CaseRepository } from './case.repository';
import { EvidenceRequestRepository } from './evidence-request.repository';
import { PackBuildRepository } from './pack-build.repository';
import { PackRepository } from './pack.repository';

const PROVIDERS = [CaseRepository, EvidenceRequestRepository, PackRepository, PackBuildRepository];

/** Police cases, triage, evidence requests and evidence packs. */
@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class CasesModule {}
