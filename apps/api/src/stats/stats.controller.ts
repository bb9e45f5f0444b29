import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { scopeOf, type TenantScope, ROLES } from '@app/auth';
import { ReportStatus, StatsRepository } from '@app/stats';
import { DomainError, ErrorCode } from '@app/errors';
import { ObjectStorage } from '@app/storage';
import { AcceptsApiKey, Roles, Scope } from '../auth/access.decorators';
import type { HubRequest } from '../http/request';
import { UuidParam } from '../http/uuid.pipe';
import {
  RequestReportBody,
  StatsBreakdownQuery,
  StatsFilterQuery,
  StatsSeriesQuery,
} from './dto/stats.query';
import { ReportResponse } from './dto/report.response';
import {
  StatsBreakdownResponse,
  StatsBreakdownRowResponse,
  StatsHeadlineResponse,
  StatsSeriesResponse,
} from './dto/stats.response';
import { toCsv } from './stats-math';
import { StatsService } from './stats.service';
import { ApiErrors, ApiFileResponse } from '../http/openapi';

type Flat = Record<string, unknown>;

/**
 * Statistics from the rollups, as JSON or CSV (the same numbers). Analysts and analyst API keys
 * get aggregates of sharing partnerships with small cells withheld; never a row, a name or text.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(
    private readonly stats: StatsService,
    private readonly repo: StatsRepository,
    private readonly storage: ObjectStorage,
  ) {}

  @Get('headline')
  @ApiOkResponse({
    type: StatsHeadlineResponse,
    description: 'JSON, or CSV (format=csv or Accept: text/csv)',
  })
  @ApiProduces('application/json', 'text/csv')
  @Roles(...ROLES.statsReaders)
  @AcceptsApiKey()
  @ApiErrors(400, 401, 403)
  async headline(
    @Req() req: HubRequest,
    @Query() q: StatsFilterQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = await this.stats.headline(await this.viewer(req), q);
    const { filters, ...figures } = body;
    return this.render(req, reply, q, body, [{ ...filters, ...figures }], 'headline');
  }

  @Get('series')
  @Roles(...ROLES.statsReaders)
  @AcceptsApiKey()
  @ApiErrors(400, 401, 403)
  @ApiOkResponse({ type: StatsSeriesResponse, description: 'JSON, or CSV (format=csv or Accept: text/csv)' })
  @ApiProduces('application/json', 'text/csv')
  async series(
    @Req() req: HubRequest,
    @Query() q: StatsSeriesQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = await this.stats.series(await this.viewer(req), q);
    return this.render(req, reply, q, body, body.points as Flat[], 'series');
  }

  @Get('breakdown')
  @Roles(...ROLES.statsReaders)
  @AcceptsApiKey()
  @ApiErrors(400, 401, 403)
  @ApiOkResponse({
    type: StatsBreakdownResponse,
    description: 'JSON, or CSV (format=csv or Accept: text/csv)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiExtraModels(StatsBreakdownRowResponse)
  async breakdown(
    @Req() req: HubRequest,
    @Query() q: StatsBreakdownQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const body = await this.stats.breakdown(await this.viewer(req), q);
    return this.render(req, reply, q, body, body.rows as Flat[], `breakdown-${q.by}`);
  }

  /** The partnership opts in to share its aggregate statistics with an organisation. */
  @Put('shares/:organisationId')
  @Roles(...ROLES.managers)
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async share(
    @Scope() scope: TenantScope,
    @Param('organisationId', UuidParam) organisationId: string,
  ): Promise<void> {
    if (!(await this.repo.organisationExists(organisationId))) {
      throw DomainError.notFound('organisation');
    }
    await this.repo.share(scope, organisationId);
  }

  @Delete('shares/:organisationId')
  @Roles(...ROLES.managers)
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async unshare(
    @Scope() scope: TenantScope,
    @Param('organisationId', UuidParam) organisationId: string,
  ): Promise<void> {
    await this.repo.unshare(scope, organisationId);
  }

  /** Queues the quarterly partnership report (PDF); the worker builds it. */
  @Post('reports')
  @Roles(...ROLES.managers)
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ReportResponse })
  @ApiErrors(400, 401, 403, 409)
  async requestReport(@Scope() scope: TenantScope, @Body() body: RequestReportBody): Promise<ReportResponse> {
    return ReportResponse.from(await this.repo.requestReport(scope, body.year, body.quarter));
  }

  @Get('reports/:id')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: ReportResponse })
  @ApiErrors(400, 401, 403, 404)
  async report(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<ReportResponse> {
    const report = await this.repo.report(scope, id);
    if (!report) {
      throw DomainError.notFound('report');
    }
    return ReportResponse.from(report);
  }

  /** The PDF; every download is logged as a disclosure. */
  @Get('reports/:id/pdf')
  @Roles(...ROLES.managers)
  @ApiErrors(400, 401, 403, 404, 409)
  @ApiFileResponse('application/pdf')
  async download(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.repo.downloadReport(scope, id);
    if (!report) {
      throw DomainError.notFound('report');
    }
    if (report.status !== ReportStatus.Ready || !report.filePath) {
      throw new DomainError(ErrorCode.Conflict, `The report is ${report.status}, not ready`);
    }
    reply.header('content-type', 'application/pdf');
    reply.header(
      'content-disposition',
      `attachment; filename="report-${report.year}-q${report.quarter}.pdf"`,
    );
    const pdf = await this.storage.get(report.filePath);
    if (!pdf) {
      throw new DomainError(ErrorCode.Conflict, 'The report file is missing; request it again');
    }
    return reply.send(pdf);
  }

  private viewer(req: HubRequest) {
    return this.stats.viewerOf(req.actor ? scopeOf(req.actor, String(req.id)) : null, req.apiKey ?? null);
  }

  private render(
    req: HubRequest,
    reply: FastifyReply,
    q: StatsFilterQuery,
    body: unknown,
    rows: Flat[],
    name: string,
  ) {
    const accept = String(req.headers.accept ?? '');
    if (q.format === 'csv' || (!q.format && accept.includes('text/csv'))) {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}.csv"`);
      return toCsv(rows);
    }
    return body;
  }
}
