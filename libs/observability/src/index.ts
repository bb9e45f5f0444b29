export * from './private-spans';
export * from './tracing';
export * from './tracing-shutdown';
