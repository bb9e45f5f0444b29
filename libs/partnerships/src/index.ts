export * from './entities';
export * from './member-business.repository';
export * from './partnership.repository';
export * from './store.repository';
export * from './partnerships.module';
