import { entitiesIn } from './entities-in';
import * as accessLogEntry from './access-log-entry.entity';
import * as idempotencyKey from './idempotency-key.entity';
import * as outboxMessage from './outbox-message.entity';

export { entitiesIn } from './entities-in';
export * from './access-log-entry.entity';
export * from './idempotency-key.entity';
export * from './outbox-message.entity';
export { BaseRow } from './columns';

/** The infrastructure tables: the access log, the outbox and idempotency keys. */
export const DATABASE_ENTITIES = entitiesIn(accessLogEntry, idempotencyKey, outboxMessage);
