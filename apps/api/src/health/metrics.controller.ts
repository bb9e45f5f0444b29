import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { AppConfig } from '@app/config';
import { scrape } from '@app/metrics';
import { Public } from '../auth/access.decorators';
import { ErrorResponse } from '../http/openapi';

/**
 * Prometheus metrics of this api process. Public to the access guard (no user account scrapes);
 * when METRICS_TOKEN is set, only that bearer token is let in. No label holds personal data.
 */
@ApiTags('health')
@Public()
@Controller()
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @ApiBearerAuth()
  @ApiOkResponse({
    description: 'Prometheus text exposition format (version 0.0.4)',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 401,
    type: ErrorResponse,
    description: 'METRICS_TOKEN is set and the bearer token is not it',
  })
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { contentType, body } = await scrape(this.registry, this.config, authorization);
    void reply.header('content-type', contentType);
    return body;
  }
}
