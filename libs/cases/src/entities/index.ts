import { entitiesIn } from '@app/database';
import * as policeCases from './case.entity';

export * from './case.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const CASES_ENTITIES = entitiesIn(policeCases);
