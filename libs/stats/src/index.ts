export * from './entities';
export * from './incident-rollup.repository';
export * from './stats.repository';
export * from './stats.module';
export * from './analyst-key.repository';
