import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@app/errors';
import { InjectRedis } from '@app/redis';
import { Public } from '../auth/access.decorators';
import { ErrorResponse } from '../http/openapi';

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class ReadyResponse extends HealthResponse {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: ['up'] } })
  checks: Record<string, 'up'>;
}

/** Liveness and readiness. Readiness answers 503 while PostgreSQL or Redis is unreachable. */
@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  @Get('health')
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadyResponse })
  @ApiResponse({ status: 503, type: ErrorResponse, description: 'PostgreSQL or Redis is unreachable' })
  async ready(): Promise<ReadyResponse> {
    const [postgres, redis] = await Promise.allSettled([
      within(2000, this.db.query('SELECT 1')),
      within(2000, this.redis.ping()),
    ]);
    const down = [
      postgres.status === 'rejected' && 'postgres',
      redis.status === 'rejected' && 'redis',
    ].filter(Boolean);
    if (down.length) {
      throw new DomainError(ErrorCode.ServiceUnavailable, `Not ready: ${down.join(' and ')} unreachable`);
    }
    return { status: 'ok', checks: { postgres: 'up', redis: 'up' } };
  }
}
