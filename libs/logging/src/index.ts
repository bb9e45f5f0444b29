export * from './logger';
export * from './nest-logger.adapter';
export * from './redact-error';
export * from './request-context';
