import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';
import { InjectRedis } from '@app/redis';

/**
 * A number of requests per sender (user or tablet id, never an address or a header) per window,
 * counted in Redis so every api instance shares it. While Redis is down an in-process limiter
 * stands in, so the write (a PostgreSQL transaction) keeps working and stays bounded.
 */
export class ActorRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    keyPrefix: string,
    points: number,
    durationSeconds: number,
    private readonly message: string,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points,
      duration: durationSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    });
  }

  async consume(actorId: string): Promise<void> {
    try {
      await this.limiter.consume(actorId);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw res;
      }
      throw new DomainError(ErrorCode.RateLimited, this.message, undefined, {
        'Retry-After': String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))),
      });
    }
  }
}

/** New reports per sender per minute (REPORT_RATE_LIMIT_PER_MINUTE). */
@Injectable()
export class ReportRateLimiter extends ActorRateLimiter {
  constructor(@InjectRedis() redis: Redis, config: AppConfig) {
    super(
      redis,
      `${config.redis.prefix}:report-create`,
      config.limits.reportsPerMinute,
      60,
      'Too many reports in a minute; they are kept and will send shortly',
    );
  }
}

/** Evidence pack builds per officer per hour (PACK_RATE_LIMIT_PER_HOUR). */
@Injectable()
export class PackRateLimiter extends ActorRateLimiter {
  constructor(@InjectRedis() redis: Redis, config: AppConfig) {
    super(
      redis,
      `${config.redis.prefix}:pack-build`,
      config.limits.packsPerHour,
      3600,
      'Too many evidence packs requested in an hour; please wait before building another',
    );
  }
}
