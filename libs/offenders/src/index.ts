export * from './entities';
export * from './exclusion.repository';
export * from './offender.repository';
export * from './reference.repository';
export * from './serial-offender.repository';
export * from './serial-rule';
export * from './offenders.module';
