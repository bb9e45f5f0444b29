export * from './entities';
export * from './alert.repository';
export * from './radio-settings.repository';
export * from './raise-alert';
export * from './talk-group.repository';
export * from './alerts.module';
