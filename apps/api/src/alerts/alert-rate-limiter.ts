import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';
import { InjectRedis } from '@app/redis';

/**
 * Alerts raised per sender (user or tablet) per minute, counted in Redis. While Redis is down an
 * in-process limiter stands in, so raising (a PostgreSQL write) keeps working and stays bounded.
 */
@Injectable()
export class AlertRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(@InjectRedis() redis: Redis, config: AppConfig) {
    const points = config.radio.alertRateLimitPerMinute;
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redis.prefix}:alert-raise`,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
  }

  async consume(senderId: string): Promise<void> {
    try {
      await this.limiter.consume(senderId);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw res;
      }
      throw new DomainError(ErrorCode.RateLimited, 'Too many alerts; please wait a moment', undefined, {
        'Retry-After': String(Math.ceil(res.msBeforeNext / 1000)),
      });
    }
  }
}
