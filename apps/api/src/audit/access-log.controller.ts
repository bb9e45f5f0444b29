import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Role, type TenantScope } from '@app/auth';
import { AccessLogRepository, type ChainVerdict } from '@app/database';
import { Roles, Scope } from '../auth/access.decorators';
import { AccessLogEntryResponse, ListAccessLogQuery } from './dto/access-log.dto';

/** The DPA 2018 s.62 log: read and verify only; nothing can change it. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles(Role.Coordinator, Role.Admin)
@Controller('access-log')
export class AccessLogController {
  constructor(private readonly log: AccessLogRepository) {}

  @Get()
  async list(
    @Scope() scope: TenantScope,
    @Query() q: ListAccessLogQuery,
  ): Promise<{ items: AccessLogEntryResponse[] }> {
    const items = await this.log.findPage(scope, q, q.limit);
    return { items: items.map(AccessLogEntryResponse.from) };
  }

  @Get('verify')
  verify(@Scope() scope: TenantScope): Promise<ChainVerdict> {
    return this.log.verify(scope);
  }
}
