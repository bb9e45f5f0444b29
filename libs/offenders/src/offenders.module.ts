import { Module } from '@nestjs/common';
import { ExclusionRepository } from './exclusion.repository';
import { OffenderRepository } from './offender.repository';
import { ReferenceRepository } from './reference.repository';
import { SerialOffenderRepository } from './serial-offender.repository';

const PROVIDERS = [ExclusionRepository, OffenderRepository, ReferenceRepository, SerialOffenderRepository];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class OffendersModule {}
