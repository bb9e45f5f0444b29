import { AccessLogEntry } from './access-log-entry.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { OutboxMessage } from './outbox-message.entity';

export * from './access-log-entry.entity';
export { BaseRow } from './columns';
export * from './idempotency-key.entity';
export * from './outbox-message.entity';

/** The infrastructure tables: the access log, the outbox and idempotency keys. */
export const DATABASE_ENTITIES = [AccessLogEntry, OutboxMessage, IdempotencyKey];
