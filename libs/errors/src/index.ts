export * from './all-exceptions.filter';
export * from './domain.error';
export * from './error-code';
export * from './error-response';
export * from './validation';
export * from './input-rules';
export * from './compiled-validation';
