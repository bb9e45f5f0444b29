import { entitiesIn } from '@app/database';
import * as statsPending from './stats-pending.entity';
import * as stats from './stats.entity';

export * from './stats-pending.entity';
export * from './stats.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const STATS_ENTITIES = entitiesIn(statsPending, stats);
