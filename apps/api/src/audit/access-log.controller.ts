import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role, type TenantScope } from '@app/auth';
import { AccessLogRepository, type ChainVerdict } from '@app/database';
import { Roles, Scope } from '../auth/access.decorators';
import { AccessLogEntryResponse, ChainVerdictResponse, ListAccessLogQuery } from './dto/access-log.dto';
import { ApiErrors, ListOf } from '../http/openapi';

/** The DPA 2018 s.62 log: read and verify only; nothing can change it. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles(Role.Coordinator, Role.Admin)
@Controller('access-log')
export class AccessLogController {
  constructor(private readonly log: AccessLogRepository) {}

  @Get()
  @ApiOkResponse({ type: ListOf(AccessLogEntryResponse) })
  @ApiErrors(400, 401)
  async list(
    @Scope() scope: TenantScope,
    @Query() q: ListAccessLogQuery,
  ): Promise<{ items: AccessLogEntryResponse[] }> {
    const items = await this.log.findPage(scope, q, q.limit);
    return { items: items.map(AccessLogEntryResponse.from) };
  }

  @Get('verify')
  @ApiOkResponse({ type: ChainVerdictResponse })
  @ApiErrors(401)
  verify(@Scope() scope: TenantScope): Promise<ChainVerdict> {
    return this.log.verify(scope);
  }
}
