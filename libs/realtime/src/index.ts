export * from './events';
export * from './rooms';
