import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TenantScope, ROLES } from '@app/auth';
import { Roles, Scope } from '../auth/access.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { UuidParam } from '../http/uuid.pipe';
import { CreateStatementRequest, StatementResponse } from './dto/statement.dto';
import { StatementsService } from './statements.service';
import { ApiErrors, ListOf } from '../http/openapi';

/** MG11 witness statements on a report. There is no route to edit or delete one. */
@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents/:incidentId/statements')
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  /** Takes a statement. Requires Idempotency-Key; retries replay the first answer byte for byte. */
  @Post()
  @Roles(...ROLES.reportHandlers)
  @Idempotent('witness_statement')
  @ApiCreatedResponse({ type: StatementResponse })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async create(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Body() body: CreateStatementRequest,
  ): Promise<StatementResponse> {
    return StatementResponse.from(await this.statements.create(scope, incidentId, body));
  }

  @Get()
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: ListOf(StatementResponse) })
  @ApiErrors(400, 401, 403, 404)
  async list(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
  ): Promise<{ items: StatementResponse[] }> {
    return { items: (await this.statements.list(scope, incidentId)).map(StatementResponse.from) };
  }

  @Get(':id')
  @Roles(...ROLES.reportHandlers)
  @ApiOkResponse({ type: StatementResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Param('id', UuidParam) id: string,
  ): Promise<StatementResponse> {
    return StatementResponse.from(await this.statements.get(scope, incidentId, id));
  }

  /** A correction is a new signed version that points at the one it corrects. */
  @Post(':id/corrections')
  @Roles(...ROLES.reportHandlers)
  @ApiCreatedResponse({ type: StatementResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async correct(
    @Scope() scope: TenantScope,
    @Param('incidentId', UuidParam) incidentId: string,
    @Param('id', UuidParam) id: string,
    @Body() body: CreateStatementRequest,
  ): Promise<StatementResponse> {
    return StatementResponse.from(await this.statements.correct(scope, incidentId, id, body));
  }
}
