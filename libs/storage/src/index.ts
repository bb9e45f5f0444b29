export * from './create';
export * from './local-storage';
export * from './object-storage';
export * from './storage.module';
// the S3 driver is reached through createObjectStorage, which loads the AWS SDK only when needed
export type { S3ObjectStorage, S3LockMode } from './s3-storage';
