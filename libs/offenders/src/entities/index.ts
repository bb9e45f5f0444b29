import { entitiesIn } from '@app/database';
import * as exclusionNotice from './exclusion-notice.entity';
import * as gallery from './gallery.entity';
import * as legalRule from './legal-rule.entity';
import * as serialFlag from './serial-flag.entity';
import * as subject from './subject.entity';

export * from './exclusion-notice.entity';
export * from './gallery.entity';
export * from './legal-rule.entity';
export * from './serial-flag.entity';
export * from './subject.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const OFFENDERS_ENTITIES = entitiesIn(exclusionNotice, gallery, legalRule, serialFlag, subject);
