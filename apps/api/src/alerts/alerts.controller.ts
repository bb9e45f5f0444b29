import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type TenantScope, ROLES } from '@app/auth';
import type { AlertPayload } from '@app/realtime';
import { Roles, Scope } from '../auth/access.decorators';
import type { PageResponse } from '../http/page.response';
import { UuidParam } from '../http/uuid.pipe';
import { AlertsService } from './alerts.service';
import { AckStatusResponse, AlertPayloadResponse, AlertResponse } from './dto/alert.response';
import { ListAlertsQuery } from './dto/list-alerts.query';
import { RaiseAlertRequest } from './dto/raise-alert.request';
import {
  CreateTalkGroupRequest,
  RadioSettingsRequest,
  RadioSettingsResponse,
  SetTalkGroupStoresRequest,
  TalkGroupResponse,
} from './dto/talk-group.dto';
import { ApiErrors, PageOf } from '../http/openapi';

/** Radio alerts over HTTP, for systems without sockets. Delivery is the radio's job. */
@ApiTags('radio')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post('alerts')
  @Roles(...ROLES.alertRaisers)
  @ApiCreatedResponse({ type: AlertPayloadResponse })
  @ApiErrors(400, 401, 403, 409, 429)
  async raise(@Scope() scope: TenantScope, @Body() body: RaiseAlertRequest): Promise<AlertPayload> {
    return AlertResponse.from(await this.alerts.raise(scope, body));
  }

  @Get('alerts')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: PageOf(AlertPayloadResponse) })
  @ApiErrors(400, 401, 403)
  async list(@Scope() scope: TenantScope, @Query() q: ListAlertsQuery): Promise<PageResponse<AlertPayload>> {
    const { alerts, more } = await this.alerts.list(scope, q);
    const last = alerts[alerts.length - 1];
    return { items: alerts.map(AlertResponse.from), nextCursor: more && last ? String(last.seq) : null };
  }

  @Get('alerts/:id')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: AlertPayloadResponse })
  @ApiErrors(400, 401, 403, 404)
  async get(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<AlertPayload> {
    return AlertResponse.from(await this.alerts.get(scope, id));
  }

  @Get('alerts/:id/acks')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: AckStatusResponse })
  @ApiErrors(400, 401, 403, 404)
  async acks(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<AckStatusResponse> {
    return AckStatusResponse.from(await this.alerts.ackStatus(scope, id));
  }

  @Get('talk-groups')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: [TalkGroupResponse] })
  @ApiErrors(401, 403)
  async talkGroups(@Scope() scope: TenantScope): Promise<TalkGroupResponse[]> {
    return (await this.alerts.listTalkGroups(scope)).map(TalkGroupResponse.from);
  }

  @Post('talk-groups')
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: TalkGroupResponse })
  @ApiErrors(400, 401, 403, 409)
  async createTalkGroup(
    @Scope() scope: TenantScope,
    @Body() body: CreateTalkGroupRequest,
  ): Promise<TalkGroupResponse> {
    return TalkGroupResponse.from(await this.alerts.createTalkGroup(scope, body.name));
  }

  @Put('talk-groups/:id/stores')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: TalkGroupResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async setTalkGroupStores(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: SetTalkGroupStoresRequest,
  ): Promise<TalkGroupResponse> {
    return TalkGroupResponse.from(await this.alerts.setTalkGroupStores(scope, id, body.storeIds));
  }

  @Get('radio-settings')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: RadioSettingsResponse })
  @ApiErrors(401, 403)
  async settings(@Scope() scope: TenantScope): Promise<RadioSettingsResponse> {
    return RadioSettingsResponse.from(await this.alerts.getSettings(scope));
  }

  @Put('radio-settings')
  @HttpCode(200)
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: RadioSettingsResponse })
  @ApiErrors(400, 401, 403, 409)
  async updateSettings(
    @Scope() scope: TenantScope,
    @Body() body: RadioSettingsRequest,
  ): Promise<RadioSettingsResponse> {
    return RadioSettingsResponse.from(await this.alerts.updateSettings(scope, body));
  }
}
