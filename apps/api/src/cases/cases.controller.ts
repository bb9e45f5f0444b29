import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TenantScope, ROLES } from '@app/auth';
import { continuityEntryOf, reasonsFor } from '@app/cases';
import { Roles, Scope } from '../auth/access.decorators';
import { PageQuery } from '../http/page.query';
import { pageOf, type PageResponse } from '../http/page.response';
import { UuidParam } from '../http/uuid.pipe';
import { CasesService } from './cases.service';
import {
  AnswerEvidenceRequest,
  AssignCaseRequest,
  CaseResponse,
  CaseUpdateResponse,
  ContinuityEntryResponse,
  CreateEvidenceRequest,
  EvidenceRequestResponse,
  HistoryResponse,
  OpenCaseRequest,
  StoreRequestsQuery,
  TransitionCaseRequest,
} from './dto/case.dto';
import { TriageItemResponse, TriageQuery } from './dto/triage.dto';
import { ApiErrors, ListOf, PageOf } from '../http/openapi';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  /** Opens a case from one incident or from a serial-offender flag's bundle. */
  @Post()
  @Roles(...ROLES.police)
  @ApiCreatedResponse({ type: CaseResponse })
  @ApiErrors(400, 401, 403, 409)
  async open(@Scope() scope: TenantScope, @Body() body: OpenCaseRequest): Promise<CaseResponse> {
    const c = await this.cases.open(scope, body);
    return CaseResponse.from(c);
  }

  /**
   * The triage queue, highest priority first, with the reasons for each score: open cases, serial
   * flags no case was opened from, and high-priority reports on no case (open one with POST /cases).
   */
  @Get()
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: PageOf(TriageItemResponse) })
  @ApiErrors(400, 401, 403)
  async triage(
    @Scope() scope: TenantScope,
    @Query() q: TriageQuery,
  ): Promise<PageResponse<TriageItemResponse>> {
    return pageOf(await this.cases.triage(scope, q), (r) => TriageItemResponse.from(r, reasonsFor(r)));
  }

  @Get(':id')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: CaseResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<CaseResponse> {
    const found = await this.cases.get(scope, id);
    return CaseResponse.from(found.case, found.incidentIds);
  }

  @Post(':id/assignment')
  @HttpCode(200)
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: CaseResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async assign(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: AssignCaseRequest,
  ): Promise<CaseResponse> {
    return CaseResponse.from(await this.cases.assign(scope, id, body));
  }

  /** new -> in_triage -> evidence_requested -> ready_for_cps | charged | NFA | resolution -> court outcome */
  @Post(':id/transitions')
  @HttpCode(200)
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: CaseResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async transition(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: TransitionCaseRequest,
  ): Promise<CaseResponse> {
    return CaseResponse.from(await this.cases.transition(scope, id, body));
  }

  @Get(':id/history')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: ListOf(HistoryResponse) })
  @ApiErrors(400, 401, 403, 404)
  async history(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: HistoryResponse[] }> {
    return { items: (await this.cases.history(scope, id)).map(HistoryResponse.from) };
  }

  /** The case's hash-chained continuity log, as it goes into a pack. */
  @Get(':id/continuity')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: ListOf(ContinuityEntryResponse) })
  @ApiErrors(400, 401, 403, 404)
  async continuity(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: unknown[] }> {
    return { items: (await this.cases.continuity(scope, id)).map(continuityEntryOf) };
  }

  @Post(':id/evidence-requests')
  @Roles(...ROLES.police)
  @ApiCreatedResponse({ type: EvidenceRequestResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async request(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: CreateEvidenceRequest,
  ): Promise<EvidenceRequestResponse> {
    return EvidenceRequestResponse.from(await this.cases.request(scope, id, body));
  }

  @Get(':id/evidence-requests')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: ListOf(EvidenceRequestResponse) })
  @ApiErrors(400, 401, 403, 404)
  async requests(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<{ items: EvidenceRequestResponse[] }> {
    return { items: (await this.cases.requestsOfCase(scope, id)).map(EvidenceRequestResponse.from) };
  }
}

/** The store's side: police requests to answer, and plain-words updates on its cases. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller()
export class StoreCasesController {
  constructor(private readonly cases: CasesService) {}

  @Get('evidence-requests')
  @Roles(...ROLES.reporters)
  @ApiOkResponse({ type: PageOf(EvidenceRequestResponse) })
  @ApiErrors(400, 401, 403)
  async list(
    @Scope() scope: TenantScope,
    @Query() q: StoreRequestsQuery,
  ): Promise<PageResponse<EvidenceRequestResponse>> {
    return pageOf(await this.cases.requestsForStore(scope, q), EvidenceRequestResponse.from);
  }

  @Post('evidence-requests/:id/answer')
  @HttpCode(200)
  @Roles(...ROLES.reporters)
  @ApiOkResponse({ type: EvidenceRequestResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async answer(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: AnswerEvidenceRequest,
  ): Promise<EvidenceRequestResponse> {
    return EvidenceRequestResponse.from(await this.cases.answer(scope, id, body));
  }

  /** What happened to cases built from this store's reports, in plain words for staff and victims. */
  @Get('case-updates')
  @Roles(...ROLES.reporters)
  @ApiOkResponse({ type: PageOf(CaseUpdateResponse) })
  @ApiErrors(400, 401, 403)
  async updates(
    @Scope() scope: TenantScope,
    @Query() q: PageQuery,
  ): Promise<PageResponse<CaseUpdateResponse>> {
    return pageOf(await this.cases.updates(scope, q), CaseUpdateResponse.from);
  }
}
