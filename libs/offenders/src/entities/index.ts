import { Subject, SubjectImage, SubjectIncident, SubjectAggregate } from './subject.entity';
import { Gallery, GalleryListing } from './gallery.entity';
import { ExclusionNotice } from './exclusion-notice.entity';
import { SerialFlag } from './serial-flag.entity';
import { LegalRule, OffenderSettings } from './legal-rule.entity';

export * from './exclusion-notice.entity';
export * from './gallery.entity';
export * from './legal-rule.entity';
export * from './serial-flag.entity';
export * from './subject.entity';

/** The tables this feature owns. */
export const OFFENDERS_ENTITIES = [
  Subject,
  SubjectImage,
  SubjectIncident,
  SubjectAggregate,
  Gallery,
  GalleryListing,
  ExclusionNotice,
  SerialFlag,
  LegalRule,
  OffenderSettings,
];
