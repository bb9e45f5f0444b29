import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TenantScope, ROLES } from '@app/auth';
import { Roles, Scope } from '../auth/access.decorators';
import { ReportRateLimiter } from '../http/actor-rate-limiter';
import { Idempotent } from '../http/idempotency.interceptor';
import { pageOf, type PageResponse } from '../http/page.response';
import { UuidParam } from '../http/uuid.pipe';
import {
  AmendIncidentRequest,
  CreateIncidentRequest,
  ListIncidentsQuery,
  TransitionIncidentRequest,
} from './dto/incident.dto';
import { AmendmentResponse, IncidentResponse } from './dto/incident.response';
import { IncidentsService } from './incidents.service';
import { ApiErrors, ListOf, PageOf } from '../http/openapi';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly limiter: ReportRateLimiter,
  ) {}

  /**
   * Files a report. Requires Idempotency-Key; retries replay the first answer byte for byte. Each
   * sender files at most REPORT_RATE_LIMIT_PER_MINUTE a minute (429 + Retry-After; nothing is
   * recorded under the key, so the same request sent again later goes through).
   */
  @Post()
  @Roles(...ROLES.reporters)
  @Idempotent('incident')
  @ApiCreatedResponse({ type: IncidentResponse })
  @ApiErrors(400, 401, 403, 409, 422, 429)
  async report(@Scope() scope: TenantScope, @Body() body: CreateIncidentRequest): Promise<IncidentResponse> {
    await this.limiter.consume(scope.actorId);
    return IncidentResponse.from(await this.incidents.report(scope, body));
  }

  @Get()
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: PageOf(IncidentResponse) })
  @ApiErrors(400, 401, 403)
  async find(
    @Scope() scope: TenantScope,
    @Query() q: ListIncidentsQuery,
  ): Promise<PageResponse<IncidentResponse>> {
    return pageOf(await this.incidents.find(scope, q, q), IncidentResponse.from);
  }

  @Get(':id')
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: IncidentResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<IncidentResponse> {
    return IncidentResponse.from(await this.incidents.get(scope, id));
  }

  /** Changes a report; every change is kept with who, when and what (see /amendments). */
  @Patch(':id')
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: IncidentResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async amend(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: AmendIncidentRequest,
  ): Promise<IncidentResponse> {
    return IncidentResponse.from(await this.incidents.amend(scope, id, body));
  }

  /** draft -> submitted -> reviewed -> closed */
  @Post(':id/transitions')
  @HttpCode(200)
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: IncidentResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async transition(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: TransitionIncidentRequest,
  ): Promise<IncidentResponse> {
    return IncidentResponse.from(await this.incidents.transition(scope, id, body));
  }

  @Get(':id/amendments')
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: ListOf(AmendmentResponse) })
  @ApiErrors(400, 401, 403, 404)
  async amendments(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: AmendmentResponse[] }> {
    return { items: (await this.incidents.history(scope, id)).map(AmendmentResponse.from) };
  }
}
