import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@app/config';
import { log } from '@app/logging';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

/** A command connection that fails fast while Redis is down (callers answer 503, never hang). */
export function createRedis(config: AppConfig, name: string): Redis {
  const redis = new Redis(config.redis.url, {
    connectionName: `hub-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', (err) => log().debug({ err: err.message, name }, 'redis connection error'));
  return redis;
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: (c: AppConfig) => createRedis(c, 'app') },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
