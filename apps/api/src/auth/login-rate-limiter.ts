import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';
import { InjectRedis } from '@app/redis';

/**
 * Login attempts per (client address, account) in Redis. The address is Fastify's `request.ip`,
 * which honours X-Forwarded-For only from configured proxies, so a spoofed header resets nothing.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly limiter: RateLimiterRedis;
  /** S4/S7's negative control: a limiter that never limits (TEST_DEFECTS=login-limiter-off, tests only) */
  private readonly off: boolean;

  constructor(@InjectRedis() redis: Redis, config: AppConfig) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.redis.prefix}:login`,
      points: config.auth.loginMaxAttempts,
      duration: config.auth.loginWindowSeconds,
    });
    this.off = config.testDefects.has('login-limiter-off');
  }

  async consume(ip: string, email: string): Promise<void> {
    if (this.off) {
      return;
    }
    try {
      await this.limiter.consume(`${ip}|${email.toLowerCase()}`);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw res;
      }
      const retryAfter = String(Math.ceil(res.msBeforeNext / 1000));
      throw new DomainError(
        ErrorCode.RateLimited,
        'Too many sign-in attempts; please wait and try again',
        undefined,
        {
          'Retry-After': retryAfter,
        },
      );
    }
  }

  async reset(ip: string, email: string): Promise<void> {
    await this.limiter.delete(`${ip}|${email.toLowerCase()}`);
  }
}
