import { Module } from '@nestjs/common';
import { ExclusionRepository } from './exclusion.repository';
import { GalleryRepository } from './gallery.repository';
import { ReferenceRepository } from './reference.repository';
import { SerialFlagRepository } from './serial-flag.repository';
import { SerialOffenderRepository } from './serial-offender.repository';
import { SubjectRepository } from './subject.repository';

const PROVIDERS = [
  ExclusionRepository,
  GalleryRepository,
  ReferenceRepository,
  SerialFlagRepository,
  SerialOffenderRepository,
  SubjectRepository,
];

@Module({
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class OffendersModule {}
