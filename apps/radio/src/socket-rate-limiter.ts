import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';
import { InjectRedis } from '@app/redis';

/** Socket requests (acks, replays, presence) per actor per minute: counted in Redis across instances. */
export const SOCKET_REQUESTS_PER_MINUTE = 300;

@Injectable()
export class SocketRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(@InjectRedis() redis: Redis, config: AppConfig) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redis.prefix}:radio-requests`,
      points: SOCKET_REQUESTS_PER_MINUTE,
      duration: 60,
      // Redis down: keep counting in this process rather than refusing or letting everything through.
      insuranceLimiter: new RateLimiterMemory({ points: SOCKET_REQUESTS_PER_MINUTE, duration: 60 }),
    });
  }

  async consume(actorId: string): Promise<void> {
    try {
      await this.limiter.consume(actorId);
    } catch (res) {
      if (res instanceof RateLimiterRes) {
        throw new DomainError(ErrorCode.RateLimited, 'Too many requests; please wait a moment');
      }
      throw res;
    }
  }
}
