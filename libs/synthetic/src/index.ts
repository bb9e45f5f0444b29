export * from './random';
export * from './incidents';
export * from './load';
