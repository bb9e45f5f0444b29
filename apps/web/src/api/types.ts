// HTTP shapes of the api (from its OpenAPI document at /api/docs-json).
import type { Role } from '@app/auth';
export type { Role };
export type { AlertPayload, AlertAckedPayload, PresencePayload } from '../../../../libs/realtime/src/events';

export interface ActorSummary {
  kind: 'user' | 'device';
  id: string;
  partnershipId: string;
  role: Role;
  storeId: string | null;
}

export interface TokenResponse {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  actor: ActorSummary;
}

export interface ErrorDetail {
  field: string;
  problems: string[];
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId: string;
  details?: ErrorDetail[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Partnership {
  id: string;
  name: string;
  slug: string;
  policeForceArea: string;
  jurisdiction: string;
  region: string;
}

export interface Store {
  id: string;
  businessId: string;
  name: string;
  site: string;
  postcode: string;
}

export interface GoodsLine {
  description: string;
  sku?: string;
  quantity: number;
  unitPricePence: number;
  recoveredQuantity?: number;
}

export interface OffenderDescription {
  apparentAgeRange?: string;
  height?: string;
  build?: string;
  hair?: string;
  clothing?: string;
  distinguishingMarks?: string;
  vehicleRegistration?: string;
  directionOfTravel?: string;
  exactWords?: string;
  freeText?: string;
}

export interface Witness {
  name: string;
  kind: 'staff' | 'customer' | 'other';
  contact?: string;
}

export interface IncidentRequest {
  storeId?: string;
  status?: 'draft' | 'submitted';
  types: string[];
  triggers: string[];
  weapon: string;
  injury: string;
  goods: GoodsLine[];
  occurredAt: string;
  narrative: string;
  offenders: OffenderDescription[];
  witnesses: Witness[];
  policeReported: boolean;
  crimeReference?: string | null;
  policeAttended: boolean;
  cctvAvailable: boolean;
  cctvOverwriteOn?: string | null;
  victimSupportOffered: boolean;
}

export interface Incident extends Required<Omit<IncidentRequest, 'storeId' | 'status'>> {
  id: string;
  storeId: string;
  status: 'draft' | 'submitted' | 'reviewed' | 'closed';
  version: number;
  valuePence: number;
  recoveredValuePence: number;
  reportedAt: string | null;
  offenderId: string | null;
  reportedBy: string;
  reportedByKind: string;
  createdAt: string;
  updatedAt: string;
}

export interface AckStatus {
  alertId: string;
  seq: number;
  recipientStoreIds: string[];
  acknowledged: { actorId: string; actorKind: string; storeId: string | null; at: string }[];
  pendingStoreIds: string[];
}

export interface TalkGroup {
  id: string;
  name: string;
  storeIds: string[];
}

export interface ClientConfig {
  radio: { port: number; path: string };
}

// --- police cases and packs (apps/api/src/cases, apps/api/src/packs) ---------------------------

export type CaseStatus =
  | 'new'
  | 'in_triage'
  | 'evidence_requested'
  | 'ready_for_cps'
  | 'charged'
  | 'no_further_action'
  | 'community_resolution'
  | 'court_outcome';

export interface PoliceCase {
  id: string;
  reference: string;
  status: CaseStatus;
  origin: 'incident' | 'serial_flag';
  serialFlagId: string | null;
  subjectId: string | null;
  title: string;
  assignedOfficerId: string | null;
  offenderDetained: boolean;
  victimVulnerable: boolean;
  proceedingsDate: string | null;
  outcomePlain: string | null;
  incidentIds?: string[];
  createdAt: string;
  updatedAt: string;
}

export interface PriorityReason {
  factor: string;
  points: number;
  text: string;
}

export interface TriageItem {
  case: PoliceCase;
  score: number;
  reasons: PriorityReason[];
  incidentCount: number;
  totalValuePence: number;
}

export interface CaseHistoryEntry {
  id: string;
  kind: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  assignedOfficerId: string | null;
  reason: string;
  plainWords: string | null;
  changedBy: string;
  changedByKind: string;
  at: string;
}

export type EvidenceKind = 'statement' | 'cctv' | 'impact_statement';

export interface EvidenceRequest {
  id: string;
  caseId: string;
  incidentId: string;
  storeId: string;
  kind: EvidenceKind;
  message: string;
  dueOn: string | null;
  status: 'open' | 'answered' | 'declined';
  requestedBy: string;
  answeredBy: string | null;
  answeredAt: string | null;
  answerText: string | null;
  impactKind: string | null;
  impactMadeBy: string | null;
  exhibitIds: string[];
  statementIds: string[];
  createdAt: string;
}

export interface CaseUpdate {
  caseId: string;
  caseReference: string;
  status: CaseStatus;
  plainWords: string;
  at: string;
}

export interface EvidencePack {
  id: string;
  caseId: string;
  status: string;
  progress: { done: number; total: number; stage: string | null };
  error: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  fileCount: number | null;
  readyAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

// --- offender intelligence (apps/api/src/offenders) ---------------------------------------------

export interface SubjectDescription {
  apparentAgeRange?: string | null;
  height?: string | null;
  build?: string | null;
  hair?: string | null;
  usualClothing?: string | null;
  distinguishingMarks?: string | null;
  notes?: string | null;
}

export interface SubjectImage {
  id: string;
  sha256: string;
  viewSha256: string | null;
  mediaType: string;
  sizeBytes: number;
  createdAt: string;
}

export interface Listing {
  id: string;
  galleryId: string;
  subjectId: string;
  state: 'pending' | 'listed' | 'rejected' | 'delisted';
  reason: string;
  incidentIds: string[];
  proposedBy: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  listedAt: string | null;
  expiresAt: string | null;
  renewedAt: string | null;
  delistedAt: string | null;
  delistReason: string | null;
  current: boolean;
}

export interface Subject {
  id: string;
  kind: 'known' | 'id_sought';
  reference: string;
  name: string | null;
  aliases: string[];
  description: SubjectDescription;
  vehicles: { registration: string; make: string | null; model: string | null; colour: string | null }[];
  juvenile: boolean;
  createdAt: string;
  aggregate?: {
    incidentCount: number;
    totalValuePence: number;
    storeIds: string[];
    firstSeenAt: string | null;
    lastSeenAt: string | null;
    violence: boolean;
    retailWorkerOffences: number;
  };
  images?: SubjectImage[];
  listings?: Listing[];
}

export interface SubjectLink {
  incidentId: string;
  subjectId: string;
  linkedBy: string;
  note: string | null;
  occurredAt: string;
  storeId: string;
  valuePence: number;
  createdAt: string;
}

export interface Suggestion {
  incidentId: string;
  occurredAt: string;
  storeId: string;
  reasons: string[];
}

export interface Gallery {
  id: string;
  name: string;
  purpose: string | null;
  defaultListingDays: number;
  audienceRoles: string[];
}

export type GallerySubject = Subject & { listing: Listing };

export interface SerialFlag {
  id: string;
  subjectId: string;
  state: 'new' | 'reviewed' | 'case_opened' | 'dismissed' | 'withdrawn';
  incidentIds: string[];
  totalPence: number;
  crossingIncidentIds: string[];
  crossingTotalPence: number;
  overThresholdIncidentIds: string[];
  storeIds: string[];
  windowFrom: string;
  windowTo: string;
  thresholdApplies: boolean;
  legalConsequence: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

export interface ExclusionNotice {
  id: string;
  subjectId: string;
  storeIds: string[];
  area: string | null;
  reason: string;
  incidentIds: string[];
  servedAt: string;
  servedByName: string;
  serviceMethod: string;
  acknowledgement: string | null;
  proofSha256: string | null;
  expiresAt: string;
  appealStatus: 'none' | 'lodged' | 'decided';
  appealOutcome: 'upheld' | 'overturned' | 'varied' | null;
  appealDecidedAt: string | null;
  applies: boolean;
}
