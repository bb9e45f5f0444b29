import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TenantScope, ROLES } from '@app/auth';
import { ExclusionRepository } from '@app/offenders';
import { Roles, Scope } from '../auth/access.decorators';
import { pageOf, type PageResponse } from '../http/page.response';
import { UuidParam } from '../http/uuid.pipe';
import {
  FlagResponse,
  FlagTransitionRequest,
  LegalRuleResponse,
  ListFlagsQuery,
  OffenderSettingsDto,
} from './dto';
import { ApiErrors, ListOf, PageOf } from '../http/openapi';
import { SerialFlagsService } from './serial-flags.service';

@ApiTags('offenders')
@ApiBearerAuth()
@Controller('serial-flags')
export class SerialFlagsController {
  constructor(private readonly flags: SerialFlagsService) {}

  @Get()
  @Roles(...ROLES.partnershipStaff)
  @ApiOkResponse({ type: PageOf(FlagResponse) })
  @ApiErrors(400, 401, 403)
  async list(@Scope() scope: TenantScope, @Query() q: ListFlagsQuery): Promise<PageResponse<FlagResponse>> {
    return pageOf(await this.flags.list(scope, q.state ?? null, q), FlagResponse.from);
  }

  @Get(':id')
  @Roles(...ROLES.partnershipStaff)
  @ApiOkResponse({ type: FlagResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<FlagResponse> {
    return FlagResponse.from(await this.flags.get(scope, id));
  }

  /** new -> reviewed -> case_opened | dismissed (dismissal needs a note). */
  @Post(':id/transitions')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: FlagResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async transition(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: FlagTransitionRequest,
  ): Promise<FlagResponse> {
    return FlagResponse.from(await this.flags.decide(scope, id, body.state, body.note ?? null));
  }
}

@ApiTags('offenders')
@ApiBearerAuth()
@Controller()
export class OffenderSettingsController {
  constructor(private readonly exclusions: ExclusionRepository) {}

  @Get('offender-settings')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: OffenderSettingsDto })
  @ApiErrors(401, 403)
  async get(@Scope() scope: TenantScope): Promise<OffenderSettingsDto> {
    return this.exclusions.settings(scope);
  }

  /** Changes threshold, window, N, exclusion term and appeal contact; every subject is re-checked. */
  @Post('offender-settings')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: OffenderSettingsDto })
  @ApiErrors(400, 401, 403, 409)
  async update(@Scope() scope: TenantScope, @Body() body: OffenderSettingsDto): Promise<OffenderSettingsDto> {
    return this.exclusions.updateSettings(scope, {
      thresholdPence: body.thresholdPence,
      windowDays: body.windowDays,
      minIncidents: body.minIncidents,
      exclusionMonths: body.exclusionMonths,
      appealContact: body.appealContact === undefined ? undefined : body.appealContact?.trim() || null,
    });
  }

  /** The law as data: effective-dated rules per jurisdiction (commencements set by the operator). */
  @Get('legal-rules')
  @Roles(...ROLES.partnershipStaff)
  @ApiOkResponse({ type: ListOf(LegalRuleResponse) })
  @ApiErrors(401, 403)
  async rules(@Scope() scope: TenantScope): Promise<{ items: LegalRuleResponse[] }> {
    return { items: (await this.exclusions.legalRules(scope)).map(LegalRuleResponse.from) };
  }
}
