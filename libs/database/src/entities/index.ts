import { AccessLogEntry } from './access-log-entry.entity';
import { Alert } from './alert.entity';
import { AlertAck } from './alert-ack.entity';
import { AlertCounter } from './alert-counter.entity';
import {
  CaseContinuityEntry,
  CaseEvidenceRequest,
  CaseHistoryEntry,
  CaseIncident,
  EvidencePack,
  PoliceCase,
} from './case.entity';
import { Device } from './device.entity';
import { EvidenceDerivative, EvidenceMaster, Exhibit } from './evidence.entity';
import { ExclusionNotice } from './exclusion-notice.entity';
import { Gallery, GalleryListing } from './gallery.entity';
import { LegalRule, OffenderSettings } from './legal-rule.entity';
import { SerialFlag } from './serial-flag.entity';
import { Subject, SubjectAggregate, SubjectImage, SubjectIncident } from './subject.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { IncidentAmendment } from './incident-amendment.entity';
import { IncidentDailyCount } from './incident-daily-count.entity';
import { LegalHold } from './legal-hold.entity';
import {
  AnalystApiKey,
  Organisation,
  OrganisationMember,
  OrganisationShare,
  PartnershipReport,
  StatsDay,
  StatsMonth,
  StatsStoreDay,
  StatsWatermark,
} from './stats.entity';
import { Incident } from './incident.entity';
import { MemberBusiness } from './member-business.entity';
import { OutboxMessage } from './outbox-message.entity';
import { Partnership } from './partnership.entity';
import { RadioSettings } from './radio-settings.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { Store } from './store.entity';
import { TalkGroup } from './talk-group.entity';
import { TalkGroupStore } from './talk-group-store.entity';
import { User } from './user.entity';
import { WitnessStatement } from './witness-statement.entity';

export { AccessAction, AccessLogEntry } from './access-log-entry.entity';
export { Alert, AlertPriority, AlertTarget, AlertType } from './alert.entity';
export { AlertAck } from './alert-ack.entity';
export { AlertCounter } from './alert-counter.entity';
export {
  CaseContinuityEntry,
  CaseEvidenceRequest,
  CaseHistoryEntry,
  CaseIncident,
  CaseOrigin,
  CaseStatus,
  EvidencePack,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  PackStatus,
  PoliceCase,
} from './case.entity';
export { Device } from './device.entity';
export { EvidenceDerivative, EvidenceMaster, Exhibit } from './evidence.entity';
export { AppealOutcome, AppealStatus, ExclusionNotice } from './exclusion-notice.entity';
export { Gallery, GalleryListing, ListingState } from './gallery.entity';
export { LegalRule, OffenderSettings } from './legal-rule.entity';
export { SerialFlag, type SerialFlagRule, SerialFlagState } from './serial-flag.entity';
export {
  Subject,
  SubjectAggregate,
  type SubjectDescription,
  SubjectImage,
  SubjectIncident,
  SubjectKind,
  type SubjectVehicle,
} from './subject.entity';
export { IdempotencyKey } from './idempotency-key.entity';
export { type FieldChanges, IncidentAmendment } from './incident-amendment.entity';
export { IncidentDailyCount } from './incident-daily-count.entity';
export { LegalHold } from './legal-hold.entity';
export * from './stats.entity';
export {
  type GoodsLine,
  Incident,
  IncidentStatus,
  IncidentTrigger,
  IncidentType,
  InjuryLevel,
  type OffenderDescription,
  WeaponKind,
  type Witness,
} from './incident.entity';
export { MemberBusiness } from './member-business.entity';
export { OutboxMessage } from './outbox-message.entity';
export { Jurisdiction, Partnership } from './partnership.entity';
export { RefreshToken } from './refresh-token.entity';
export { Session } from './session.entity';
export { RadioSettings } from './radio-settings.entity';
export { Store } from './store.entity';
export { TalkGroup } from './talk-group.entity';
export { TalkGroupStore } from './talk-group-store.entity';
export { User } from './user.entity';
export { WitnessStatement } from './witness-statement.entity';

/** Every entity, for the data source. */
export const ENTITIES = [
  Partnership,
  MemberBusiness,
  Store,
  User,
  Device,
  Session,
  RefreshToken,
  AccessLogEntry,
  OutboxMessage,
  TalkGroup,
  TalkGroupStore,
  RadioSettings,
  AlertCounter,
  Alert,
  AlertAck,
  Incident,
  IncidentAmendment,
  IdempotencyKey,
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
  WitnessStatement,
  EvidenceMaster,
  EvidenceDerivative,
  Exhibit,
  Subject,
  SubjectImage,
  SubjectIncident,
  SubjectAggregate,
  Gallery,
  GalleryListing,
  SerialFlag,
  ExclusionNotice,
  LegalRule,
  OffenderSettings,
  PoliceCase,
  CaseIncident,
  CaseHistoryEntry,
  CaseEvidenceRequest,
  CaseContinuityEntry,
  EvidencePack,
  LegalHold,
];
