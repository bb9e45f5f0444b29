import { entitiesIn } from '@app/database';
import * as evidence from './evidence.entity';
import * as impactStatement from './impact-statement.entity';
import * as incidentAmendment from './incident-amendment.entity';
import * as incident from './incident.entity';
import * as witnessStatement from './witness-statement.entity';

export * from './evidence.entity';
export * from './impact-statement.entity';
export * from './incident-amendment.entity';
export * from './incident.entity';
export * from './witness-statement.entity';

/** The tables this feature owns: every @Entity class its entity files export. */
export const INCIDENTS_ENTITIES = entitiesIn(
  evidence,
  impactStatement,
  incidentAmendment,
  incident,
  witnessStatement,
);
