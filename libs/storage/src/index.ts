export * from './create';
export * from './local-storage';
export * from './object-storage';
export * from './s3-storage';
export * from './storage.module';
