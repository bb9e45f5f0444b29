export * from './metrics.module';
export * from './probes';
export * from './readiness';
