// HTTP shapes of the api, named as the web uses them; each is a schema of the api's OpenAPI
// document (apps/api/openapi.json), through generated.ts (`npm run openapi`).
import type { components } from './generated';
export type { AlertPayload, AlertAckedPayload, PresencePayload } from '../../../../libs/realtime/src/events';

type Schemas = components['schemas'];

export type Role = Schemas['Role'];

export type ActorSummary = Schemas['ActorSummaryResponse'];
export type TokenResponse = Schemas['TokenResponse'];
export type ErrorDetail = Schemas['FieldProblemResponse'];
export type ErrorBody = Schemas['ErrorResponse'];

/** The `{ items, nextCursor }` of every paged list (PageOf in the api). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Partnership = Schemas['PartnershipResponse'];
export type Store = Schemas['StoreResponse'];
export type GoodsLine = Schemas['GoodsLineDto'];
export type OffenderDescription = Schemas['OffenderDescriptionDto'];
export type Witness = Schemas['WitnessDto'];
export type IncidentRequest = Schemas['CreateIncidentRequest'];
export type Incident = Schemas['IncidentResponse'];
export type Exhibit = Schemas['ExhibitResponse'];
export type ImpactStatementRequest = Schemas['CreateImpactStatementRequest'];
export type SigningKeys = Schemas['SigningKeysResponse'];
export type AckStatus = Schemas['AckStatusResponse'];
export type TalkGroup = Schemas['TalkGroupResponse'];
export type ClientConfig = Schemas['ClientConfigResponse'];

// --- police cases and packs (apps/api/src/cases, apps/api/src/packs) ---------------------------

export type CaseStatus = Schemas['CaseStatus'];
export type PoliceCase = Schemas['CaseResponse'];
export type PriorityReason = Schemas['PriorityReasonResponse'];
export type TriageItem = Schemas['TriageItemResponse'];
export type TriageItemKind = Schemas['TriageItemKind'];
export type TriageFlag = Schemas['TriageFlagResponse'];
export type TriageReport = Schemas['TriageReportResponse'];
export type CaseHistoryEntry = Schemas['HistoryResponse'];
export type EvidenceKind = Schemas['EvidenceRequestKind'];
export type EvidenceRequest = Schemas['EvidenceRequestResponse'];
export type CaseUpdate = Schemas['CaseUpdateResponse'];
export type EvidencePack = Schemas['PackResponse'];
export type Officer = Schemas['OfficerResponse'];

// --- offender intelligence (apps/api/src/offenders) ---------------------------------------------

export type SubjectDescription = Schemas['SubjectDescriptionResponse'];
export type SubjectImage = Schemas['SubjectImageResponse'];
export type Listing = Schemas['ListingResponse'];
export type Subject = Schemas['SubjectResponse'];
export type SubjectLink = Schemas['LinkResponse'];
export type Suggestion = Schemas['SuggestionResponse'];
export type Gallery = Schemas['GalleryResponse'];
export type GallerySubject = Schemas['GallerySubjectResponse'];
export type SerialFlag = Schemas['FlagResponse'];
export type ExclusionNotice = Schemas['ExclusionResponse'];
