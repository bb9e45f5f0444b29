export * from './access-log.repository';
export * from './idempotency.repository';
