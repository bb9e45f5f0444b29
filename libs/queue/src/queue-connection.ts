import { Redis } from 'ioredis';
import type { AppConfig } from '@app/config';

/** Workers block on Redis, so they retry forever (BullMQ requires maxRetriesPerRequest: null). */
export function workerConnection(config: AppConfig): Redis {
  return new Redis(config.redis.url, { maxRetriesPerRequest: null, connectionName: 'hub-worker' });
}

/** Producers fail fast instead of queueing commands while Redis is down. */
export function producerConnection(config: AppConfig): Redis {
  return new Redis(config.redis.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectionName: 'hub-producer',
  });
}

export function queuePrefix(config: AppConfig): string {
  return `${config.redis.prefix}-bull`;
}
