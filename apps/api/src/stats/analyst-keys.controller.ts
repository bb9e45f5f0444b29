import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role, ROLES, type TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { AnalystKeyRepository, StatsRepository } from '@app/stats';
import { Roles, Scope } from '../auth/access.decorators';
import { ApiErrors } from '../http/openapi';
import { UuidParam } from '../http/uuid.pipe';
import {
  AnalystKeyResponse,
  CreateOrganisationRequest,
  IssuedAnalystKeyResponse,
  IssueAnalystKeyRequest,
  OrganisationResponse,
} from './dto/analyst-key.dto';

/**
 * Organisations whose analysts read statistics, and the partnership's API keys for them. A key
 * issued here reads only this partnership's aggregates, and only while it shares with the
 * organisation (PUT /stats/shares/:organisationId).
 */
@ApiTags('stats')
@ApiBearerAuth()
@Controller()
export class AnalystKeysController {
  constructor(
    private readonly keys: AnalystKeyRepository,
    private readonly stats: StatsRepository,
  ) {}

  @Get('organisations')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: [OrganisationResponse] })
  @ApiErrors(401, 403)
  async organisations(@Scope() scope: TenantScope): Promise<OrganisationResponse[]> {
    return (await this.keys.organisations(scope)).map(OrganisationResponse.from);
  }

  @Post('organisations')
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: OrganisationResponse })
  @ApiErrors(400, 401, 403)
  async createOrganisation(@Body() body: CreateOrganisationRequest): Promise<OrganisationResponse> {
    const organisation = await this.stats.createOrganisation(body.name.trim(), body.kind);
    return OrganisationResponse.from({ organisation, shared: false });
  }

  @Get('analyst-keys')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: [AnalystKeyResponse] })
  @ApiErrors(401, 403)
  async list(@Scope() scope: TenantScope): Promise<AnalystKeyResponse[]> {
    return (await this.keys.list(scope)).map(AnalystKeyResponse.from);
  }

  @Post('analyst-keys')
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: IssuedAnalystKeyResponse })
  @ApiErrors(400, 401, 403)
  async issue(@Scope() scope: TenantScope, @Body() body: IssueAnalystKeyRequest): Promise<IssuedAnalystKeyResponse> {
    const issued = await this.keys.issue(scope, body.organisationId, body.label.trim());
    if (!issued) {
      throw DomainError.invalid('organisationId', 'is not an organisation this partnership shares its statistics with');
    }
    return { ...AnalystKeyResponse.from(issued.key), secret: issued.secret };
  }

  @Delete('analyst-keys/:id')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: AnalystKeyResponse })
  @ApiErrors(400, 401, 403, 404)
  async revoke(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<AnalystKeyResponse> {
    const key = await this.keys.revoke(scope, id);
    if (!key) {
      throw DomainError.notFound('API key');
    }
    return AnalystKeyResponse.from(key);
  }
}
