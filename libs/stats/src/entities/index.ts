import { entitiesIn } from '@app/database';
import * as incidentDailyCount from './incident-daily-count.entity';
import * as statsPending from './stats-pending.entity';
import * as stats from './stats.entity';

export * from './incident-daily-count.entity';
export * from './stats-pending.entity';
export * from './stats.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const STATS_ENTITIES = entitiesIn(incidentDailyCount, statsPending, stats);
