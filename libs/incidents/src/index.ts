export * from './entities';
export * from './evidence-content';
export * from './evidence.repository';
export * from './incident-access';
export * from './incident-rules';
export * from './incident.repository';
export * from './statement.repository';
export * from './incidents.module';
