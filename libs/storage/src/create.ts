import { join, resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import { LocalObjectStorage } from './local-storage';
import type { ObjectStorage } from './object-storage';

/** The storage part of the configuration: plain data, so the pack builder's child process gets it too. */
export type StorageSettings = Pick<AppConfig['storage'], 'driver' | 'dir' | 's3' | 'lock'>;

export function storageSettings(config: AppConfig): StorageSettings {
  const { driver, dir, s3, lock } = config.storage;
  return { driver, dir, s3, lock };
}

/**
 * The configured driver. Both stage their puts in `<STORAGE_DIR>/tmp/`. The AWS SDK is loaded only
 * for the s3 driver (it is large, and the pack builder's child process counts its memory).
 */
export async function createObjectStorage(settings: StorageSettings): Promise<ObjectStorage> {
  if (settings.driver === 's3') {
    const { S3ObjectStorage } = await import('./s3-storage');
    const mode = settings.lock.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE';
    return new S3ObjectStorage(settings.s3, join(resolve(settings.dir), 'tmp'), mode);
  }
  return new LocalObjectStorage(settings.dir);
}

/** Local disk under `dir`, unlocked (tests, tools). */
export function localStorageSettings(dir: string): StorageSettings {
  return {
    driver: 'local',
    dir,
    s3: {
      endpoint: null,
      region: 'us-east-1',
      bucket: '',
      accessKeyId: null,
      secretAccessKey: null,
      forcePathStyle: false,
    },
    lock: { mode: 'none', days: 1 },
  };
}

/** Until when a newly stored master stays write-once; undefined when masters are not locked. */
export function retainUntilFor(lock: StorageSettings['lock'], now: Date): Date | undefined {
  return lock.mode === 'none' ? undefined : new Date(now.getTime() + lock.days * 86_400_000);
}
