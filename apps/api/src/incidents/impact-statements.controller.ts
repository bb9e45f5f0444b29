import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TenantScope, ROLES } from '@app/auth';
import { Roles, Scope } from '../auth/access.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { ApiErrors, ListOf } from '../http/openapi';
import { UuidParam } from '../http/uuid.pipe';
import { CreateImpactStatementRequest, ImpactStatementResponse } from './dto/impact-statement.dto';
import { StatementsService } from './statements.service';

/** ISB and VPS given with a report (the police may also ask for one on a case). Never edited. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents/:incidentId/impact-statements')
export class ImpactStatementsController {
  constructor(private readonly statements: StatementsService) {}

  /** Requires Idempotency-Key; retries replay the first answer byte for byte. */
  @Post()
  @Roles(...ROLES.reportHandlers)
  @Idempotent('impact_statement')
  @ApiCreatedResponse({ type: ImpactStatementResponse })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async create(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Body() body: CreateImpactStatementRequest,
  ): Promise<ImpactStatementResponse> {
    return ImpactStatementResponse.from(await this.statements.createImpact(scope, incidentId, body));
  }

  @Get()
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: ListOf(ImpactStatementResponse) })
  @ApiErrors(400, 401, 403, 404)
  async list(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
  ): Promise<{ items: ImpactStatementResponse[] }> {
    return { items: (await this.statements.listImpact(scope, incidentId)).map(ImpactStatementResponse.from) };
  }
}
