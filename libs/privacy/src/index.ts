export * from './entities';
export * from './retention.repository';
export * from './subject-access.repository';
export * from './privacy.module';
export * from './legal-hold.repository';
