export * from './entities';
export * from './case-continuity';
export * from './case.repository';
export * from './evidence-pack.repository';
export * from './cases.module';
