import { IncidentDailyCount } from './incident-daily-count.entity';
import {
  StatsDay,
  StatsMonth,
  StatsStoreDay,
  StatsWatermark,
  Organisation,
  OrganisationShare,
  OrganisationMember,
  AnalystApiKey,
  PartnershipReport,
} from './stats.entity';

export * from './incident-daily-count.entity';
export * from './stats.entity';

/** The tables this feature owns. */
export const STATS_ENTITIES = [
  IncidentDailyCount,
  StatsDay,
  StatsMonth,
  StatsStoreDay,
  StatsWatermark,
  Organisation,
  OrganisationShare,
  OrganisationMember,
  AnalystApiKey,
  PartnershipReport,
];
