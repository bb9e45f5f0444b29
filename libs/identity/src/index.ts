export * from './entities';
export * from './device.repository';
export * from './session.repository';
export * from './user.repository';
export * from './identity.module';
export * from './bootstrap';
