import { AccessLogEntry } from './access-log-entry.entity';
import { Alert } from './alert.entity';
import { AlertAck } from './alert-ack.entity';
import { AlertCounter } from './alert-counter.entity';
import { Device } from './device.entity';
import { EvidenceDerivative, EvidenceMaster, Exhibit } from './evidence.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { IncidentAmendment } from './incident-amendment.entity';
import { IncidentDailyCount } from './incident-daily-count.entity';
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
export { Device } from './device.entity';
export { EvidenceDerivative, EvidenceMaster, Exhibit } from './evidence.entity';
export { IdempotencyKey } from './idempotency-key.entity';
export { type FieldChanges, IncidentAmendment } from './incident-amendment.entity';
export { IncidentDailyCount } from './incident-daily-count.entity';
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
  WitnessStatement,
  EvidenceMaster,
  EvidenceDerivative,
  Exhibit,
];
