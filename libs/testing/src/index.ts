export * from './create-test-app';
export * from './factories/partnership.factory';
export * from './http-client';
export * from './test-db';
export * from './test-services';
export * from './own-redis';
export * from './radio-pair';
export * from './factories/incident.factory';
