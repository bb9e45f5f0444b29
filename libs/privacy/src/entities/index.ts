import { entitiesIn } from '@app/database';
import * as legalHold from './legal-hold.entity';

export * from './legal-hold.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const PRIVACY_ENTITIES = entitiesIn(legalHold);
