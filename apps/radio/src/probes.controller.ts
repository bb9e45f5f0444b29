import { Controller, Get, Headers, HttpCode, Res, UseFilters } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { AllExceptionsFilter, DomainError, ErrorCode } from '@app/errors';
import { notReadyReason, Readiness, scrape, unreachable } from '@app/metrics';
import { InjectRedis } from '@app/redis';

/**
 * The radio's probes and metrics on its HTTP server, beside socket.io's path (RADIO_PATH, which
 * the config refuses to be one of these). /ready turns 503 once shutdown begins; /health stays 200.
 */
// the one error body (the filter is HTTP-only, so it is set here, not on the app and its gateway)
@UseFilters(AllExceptionsFilter)
@Controller()
export class ProbesController {
  constructor(
    private readonly config: AppConfig,
    private readonly registry: Registry,
    private readonly readiness: Readiness,
    @InjectDataSource() private readonly db: DataSource,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const down = this.readiness.accepting
      ? await unreachable({ postgres: () => this.db.query('SELECT 1'), redis: () => this.redis.ping() })
      : [];
    const reason = notReadyReason(this.readiness.accepting, down);
    if (reason) {
      throw new DomainError(ErrorCode.ServiceUnavailable, reason);
    }
    return { status: 'ok', checks: { postgres: 'up', redis: 'up' } };
  }

  @Get('metrics')
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { contentType, body } = await scrape(this.registry, this.config, authorization);
    void reply.header('content-type', contentType);
    return body;
  }
}
