import { Module } from '@nestjs/common';
import { OffendersModule } from '@app/offenders';
import { EvidenceStore } from '../evidence/evidence-store';
import { ExclusionsController } from './exclusions.controller';
import { GalleriesController, ListingsController } from './galleries.controller';
import { OffenderFilesService } from './offenders.service';
import { OffenderSettingsController, SerialFlagsController } from './serial-flags.controller';
import { SubjectImagesController, SubjectsController } from './subjects.controller';

/** Offender intelligence: subjects, galleries, links, serial flags, exclusions, settings. */
@Module({
  imports: [OffendersModule],
  controllers: [
    SubjectsController,
    SubjectImagesController,
    GalleriesController,
    ListingsController,
    SerialFlagsController,
    OffenderSettingsController,
    ExclusionsController,
  ],
  providers: [OffenderFilesService, EvidenceStore],
})
export class OffendersApiModule {}
