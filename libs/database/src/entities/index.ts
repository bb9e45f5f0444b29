import { AccessLogEntry } from './access-log-entry.entity';
import { Device } from './device.entity';
import { MemberBusiness } from './member-business.entity';
import { OutboxMessage } from './outbox-message.entity';
import { Partnership } from './partnership.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { Store } from './store.entity';
import { User } from './user.entity';

export { AccessAction, AccessLogEntry } from './access-log-entry.entity';
export { Device } from './device.entity';
export { MemberBusiness } from './member-business.entity';
export { OutboxMessage } from './outbox-message.entity';
export { Jurisdiction, Partnership } from './partnership.entity';
export { RefreshToken } from './refresh-token.entity';
export { Session } from './session.entity';
export { Store } from './store.entity';
export { User } from './user.entity';

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
];
