import { join, resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import { LocalObjectStorage } from './local-storage';
import type { ObjectStorage } from './object-storage';
import { S3ObjectStorage } from './s3-storage';

/** The storage part of the configuration: plain data, so the pack builder's child process gets it too. */
export type StorageSettings = Pick<AppConfig['storage'], 'driver' | 'dir' | 's3' | 'lock'>;

export function storageSettings(config: AppConfig): StorageSettings {
  const { driver, dir, s3, lock } = config.storage;
  return { driver, dir, s3, lock };
}

/** The configured driver. Both stage their puts in `<STORAGE_DIR>/tmp/`. */
export function createObjectStorage(settings: StorageSettings): ObjectStorage {
  if (settings.driver === 's3') {
    const mode = settings.lock.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE';
    return new S3ObjectStorage(settings.s3, join(resolve(settings.dir), 'tmp'), mode);
  }
  return new LocalObjectStorage(settings.dir);
}

/** Until when a newly stored master stays write-once; undefined when masters are not locked. */
export function retainUntilFor(lock: StorageSettings['lock'], now: Date): Date | undefined {
  return lock.mode === 'none' ? undefined : new Date(now.getTime() + lock.days * 86_400_000);
}
