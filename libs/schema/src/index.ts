import { ALERTS_ENTITIES } from '@app/alerts';
import { CASES_ENTITIES } from '@app/cases';
import { DATABASE_ENTITIES } from '@app/database';
import { IDENTITY_ENTITIES } from '@app/identity';
import { INCIDENTS_ENTITIES } from '@app/incidents';
import { OFFENDERS_ENTITIES } from '@app/offenders';
import { PARTNERSHIPS_ENTITIES } from '@app/partnerships';
import { PRIVACY_ENTITIES } from '@app/privacy';
import { STATS_ENTITIES } from '@app/stats';

/**
 * Every table, for data sources outside Nest: the TypeORM CLI (`db:check`, `db:generate`), the
 * demo seed, benchmarks and tests. Nest apps collect the same from the feature modules they import.
 */
export const ALL_ENTITIES = [
  ...DATABASE_ENTITIES,
  ...PARTNERSHIPS_ENTITIES,
  ...IDENTITY_ENTITIES,
  ...INCIDENTS_ENTITIES,
  ...OFFENDERS_ENTITIES,
  ...ALERTS_ENTITIES,
  ...CASES_ENTITIES,
  ...STATS_ENTITIES,
  ...PRIVACY_ENTITIES,
];
