import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ROLES, type TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { LegalHoldRepository } from '@app/privacy';
import { Roles, Scope } from '../auth/access.decorators';
import { ApiErrors, ListOf } from '../http/openapi';
import { UuidParam } from '../http/uuid.pipe';
import { LegalHoldResponse, PlaceLegalHoldRequest } from './dto/legal-hold.dto';

/** Legal holds on reports and alerts: retention keeps a held record until the hold is released. */
@ApiTags('privacy')
@ApiBearerAuth()
@Roles(...ROLES.managers)
@Controller('legal-holds')
export class LegalHoldsController {
  constructor(private readonly holds: LegalHoldRepository) {}

  @Get()
  @ApiOkResponse({ type: ListOf(LegalHoldResponse) })
  @ApiErrors(401, 403)
  async list(@Scope() scope: TenantScope): Promise<{ items: LegalHoldResponse[] }> {
    return { items: (await this.holds.list(scope)).map(LegalHoldResponse.from) };
  }

  @Post()
  @ApiCreatedResponse({ type: LegalHoldResponse })
  @ApiErrors(400, 401, 403, 409)
  async place(@Scope() scope: TenantScope, @Body() body: PlaceLegalHoldRequest): Promise<LegalHoldResponse> {
    const result = await this.holds.place(scope, body.objectType, body.objectId, body.reason.trim());
    if (result === 'missing') {
      throw DomainError.invalid('objectId', `is not a ${body.objectType} of this partnership`);
    }
    if (result === 'already-held') {
      throw new DomainError(ErrorCode.Conflict, 'That record is already on hold');
    }
    return LegalHoldResponse.from(result);
  }

  @Delete(':id')
  @ApiOkResponse({ type: LegalHoldResponse })
  @ApiErrors(400, 401, 403, 404)
  async release(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<LegalHoldResponse> {
    const hold = await this.holds.release(scope, id);
    if (!hold) {
      throw DomainError.notFound('Legal hold');
    }
    return LegalHoldResponse.from(hold);
  }
}
