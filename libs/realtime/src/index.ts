export * from './events';
export * from './rooms';
export * from './realtime-publisher';
export * from './client/radio-client';
