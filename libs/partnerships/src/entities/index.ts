import { Partnership } from './partnership.entity';
import { Store } from './store.entity';
import { MemberBusiness } from './member-business.entity';

export * from './member-business.entity';
export * from './partnership.entity';
export * from './store.entity';

/** The tables this feature owns. */
export const PARTNERSHIPS_ENTITIES = [Partnership, Store, MemberBusiness];
