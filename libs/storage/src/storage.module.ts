import {
  Global,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '@app/config';
import { log } from '@app/logging';
import { createObjectStorage, storageSettings } from './create';
import { ObjectStorage } from './object-storage';

/** Says once at start-up how retention is enforced, and closes the client at shutdown. */
@Injectable()
class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.storage.lock.mode === 'none') {
      return;
    }
    try {
      const support = await this.storage.retentionSupport();
      log()[support.serverEnforced ? 'info' : 'warn'](
        { driver: this.storage.driver, serverEnforced: support.serverEnforced },
        `evidence retention: ${support.detail}`,
      );
    } catch (err) {
      // not fatal: the store may come back; each locked put asks again
      log().warn(
        { err, driver: this.storage.driver },
        'could not ask the store whether it enforces retention',
      );
    }
  }

  onApplicationShutdown(): void {
    this.storage.close();
  }
}

/** Provides the configured ObjectStorage (inject it by its class). */
@Global()
@Module({
  providers: [
    {
      provide: ObjectStorage,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => createObjectStorage(storageSettings(c)),
    },
    StorageLifecycle,
  ],
  exports: [ObjectStorage],
})
export class StorageModule {}
