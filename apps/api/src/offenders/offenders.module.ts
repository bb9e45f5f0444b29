import { Module } from '@nestjs/common';
import { OffendersModule } from '@app/offenders';
import { EvidenceStore } from '../evidence/evidence-store';
import { ExclusionsController } from './exclusions.controller';
import { ExclusionsService } from './exclusions.service';
import { GalleriesController, ListingsController } from './galleries.controller';
import { GalleriesService } from './galleries.service';
import { OffenderFilesService } from './offenders.service';
import { OffenderSettingsController, SerialFlagsController } from './serial-flags.controller';
import { SerialFlagsService } from './serial-flags.service';
import { SubjectImagesController, SubjectsController } from './subjects.controller';
import { SubjectsService } from './subjects.service';

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
  providers: [
    OffenderFilesService,
    SubjectsService,
    GalleriesService,
    ExclusionsService,
    SerialFlagsService,
    EvidenceStore,
  ],
})
export class OffendersApiModule {}
