import {
  PoliceCase,
  CaseIncident,
  CaseHistoryEntry,
  CaseEvidenceRequest,
  CaseContinuityEntry,
  EvidencePack,
} from './case.entity';

export * from './case.entity';

/** The tables this feature owns. */
export const CASES_ENTITIES = [
  PoliceCase,
  CaseIncident,
  CaseHistoryEntry,
  CaseEvidenceRequest,
  CaseContinuityEntry,
  EvidencePack,
];
