export * from './access-log.repository';
export * from './device.repository';
export * from './member-business.repository';
export * from './partnership.repository';
export * from './session.repository';
export * from './store.repository';
export * from './user.repository';
