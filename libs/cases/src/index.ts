export * from './entities';
export * from './case-continuity';
export * from './case-rules';
export * from './case.repository';
export * from './evidence-request.repository';
export * from './pack-build.repository';
export * from './pack.repository';
export * from './cases.module';
