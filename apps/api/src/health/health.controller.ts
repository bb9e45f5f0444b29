import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@app/errors';
import { notReadyReason, Readiness, unreachable } from '@app/metrics';
import { InjectRedis } from '@app/redis';
import { Public } from '../auth/access.decorators';
import { ErrorResponse } from '../http/openapi';

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class ReadyResponse extends HealthResponse {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: ['up'] } })
  checks: Record<string, 'up'>;
}

/**
 * Liveness and readiness. Readiness answers 503 while PostgreSQL or Redis is unreachable, and from
 * the moment shutdown begins (liveness stays 200), so a load balancer drains the instance first.
 */
@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly readiness: Readiness,
  ) {}

  @Get('health')
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadyResponse })
  @ApiResponse({
    status: 503,
    type: ErrorResponse,
    description: 'shutting down, or PostgreSQL or Redis is unreachable',
  })
  async ready(): Promise<ReadyResponse> {
    const down = this.readiness.accepting
      ? await unreachable({ postgres: () => this.db.query('SELECT 1'), redis: () => this.redis.ping() })
      : [];
    const reason = notReadyReason(this.readiness.accepting, down);
    if (reason) {
      throw new DomainError(ErrorCode.ServiceUnavailable, reason);
    }
    return { status: 'ok', checks: { postgres: 'up', redis: 'up' } };
  }
}
