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
