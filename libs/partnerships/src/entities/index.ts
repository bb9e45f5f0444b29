import { entitiesIn } from '@app/database';
import * as memberBusiness from './member-business.entity';
import * as partnership from './partnership.entity';
import * as store from './store.entity';

export * from './member-business.entity';
export * from './partnership.entity';
export * from './store.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const PARTNERSHIPS_ENTITIES = entitiesIn(memberBusiness, partnership, store);
