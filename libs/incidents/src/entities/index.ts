import { Incident } from './incident.entity';
import { IncidentAmendment } from './incident-amendment.entity';
import { WitnessStatement } from './witness-statement.entity';
import { EvidenceMaster, EvidenceDerivative, Exhibit } from './evidence.entity';

export * from './evidence.entity';
export * from './incident-amendment.entity';
export * from './incident.entity';
export * from './witness-statement.entity';

/** The tables this feature owns. */
export const INCIDENTS_ENTITIES = [
  Incident,
  IncidentAmendment,
  WitnessStatement,
  EvidenceMaster,
  EvidenceDerivative,
  Exhibit,
];
