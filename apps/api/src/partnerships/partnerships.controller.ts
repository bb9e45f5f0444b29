import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Role, rolesThatMay, type TenantScope, ROLES } from '@app/auth';
import { Roles, Scope } from '../auth/access.decorators';
import { PageQuery } from '../http/page.query';
import { pageOf, type PageResponse } from '../http/page.response';
import { UuidParam } from '../http/uuid.pipe';
import { BusinessResponse, CreateBusinessRequest, UpdateBusinessRequest } from './dto/business.dto';
import { DeviceResponse, EnrolDeviceRequest, EnrolledDeviceResponse } from './dto/device.dto';
import { PartnershipResponse } from './dto/partnership.response';
import { CreateStoreRequest, ListStoresQuery, StoreResponse, UpdateStoreRequest } from './dto/store.dto';
import {
  ChangeUserRequest,
  CreatedUserResponse,
  CreateUserRequest,
  OfficerResponse,
  UserResponse,
} from './dto/user.dto';
import { PartnershipsService } from './partnerships.service';
import { ApiErrors, PageOf } from '../http/openapi';

@ApiTags('partnership')
@ApiBearerAuth()
@Controller()
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Get('partnerships/current')
  @Roles(...ALL_ROLES)
  @ApiOkResponse({ type: PartnershipResponse })
  @ApiErrors(401, 403)
  async current(@Scope() scope: TenantScope): Promise<PartnershipResponse> {
    return PartnershipResponse.from(await this.partnerships.current(scope));
  }

  @Get('businesses')
  @Roles(...ROLES.managers, Role.Police)
  @ApiOkResponse({ type: PageOf(BusinessResponse) })
  @ApiErrors(400, 401, 403)
  async businesses(
    @Scope() scope: TenantScope,
    @Query() q: PageQuery,
  ): Promise<PageResponse<BusinessResponse>> {
    return pageOf(await this.partnerships.listBusinesses(scope, q), BusinessResponse.from);
  }

  @Post('businesses')
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: BusinessResponse })
  @ApiErrors(400, 401, 403, 409)
  async createBusiness(
    @Scope() scope: TenantScope,
    @Body() body: CreateBusinessRequest,
  ): Promise<BusinessResponse> {
    return BusinessResponse.from(await this.partnerships.createBusiness(scope, body.name));
  }

  @Patch('businesses/:id')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: BusinessResponse })
  @ApiErrors(400, 401, 403, 404)
  async renameBusiness(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateBusinessRequest,
  ): Promise<BusinessResponse> {
    return BusinessResponse.from(await this.partnerships.renameBusiness(scope, id, body.name));
  }

  @Get('stores')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: PageOf(StoreResponse) })
  @ApiErrors(400, 401, 403)
  async stores(
    @Scope() scope: TenantScope,
    @Query() q: ListStoresQuery,
  ): Promise<PageResponse<StoreResponse>> {
    return pageOf(await this.partnerships.listStores(scope, q.businessId, q), StoreResponse.from);
  }

  @Get('stores/:id')
  @Roles(...ROLES.members)
  @ApiOkResponse({ type: StoreResponse })
  @ApiErrors(400, 401, 403, 404)
  async store(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<StoreResponse> {
    return StoreResponse.from(await this.partnerships.getStore(scope, id));
  }

  @Post('stores')
  @Roles(...ROLES.managers)
  @ApiCreatedResponse({ type: StoreResponse })
  @ApiErrors(400, 401, 403, 409)
  async createStore(@Scope() scope: TenantScope, @Body() body: CreateStoreRequest): Promise<StoreResponse> {
    return StoreResponse.from(await this.partnerships.createStore(scope, body));
  }

  @Patch('stores/:id')
  @Roles(...ROLES.managers)
  @ApiOkResponse({ type: StoreResponse })
  @ApiErrors(400, 401, 403, 404)
  async updateStore(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateStoreRequest,
  ): Promise<StoreResponse> {
    return StoreResponse.from(await this.partnerships.updateStore(scope, id, body));
  }

  @Get('users')
  @Roles(...ROLES.storeManagers)
  @ApiOkResponse({ type: PageOf(UserResponse) })
  @ApiErrors(400, 401, 403)
  async users(@Scope() scope: TenantScope, @Query() q: PageQuery): Promise<PageResponse<UserResponse>> {
    return pageOf(await this.partnerships.listUsers(scope, q), UserResponse.from);
  }

  /** The partnership's active police users, for the case assignment picker; each read is logged. */
  @Get('officers')
  @Roles(...ROLES.police)
  @ApiOkResponse({ type: PageOf(OfficerResponse) })
  @ApiErrors(400, 401, 403)
  async officers(@Scope() scope: TenantScope, @Query() q: PageQuery): Promise<PageResponse<OfficerResponse>> {
    return pageOf(await this.partnerships.listOfficers(scope, q), OfficerResponse.from);
  }

  @Get('users/:id')
  @Roles(...ROLES.storeManagers)
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, 404)
  async user(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.partnerships.getUser(scope, id));
  }

  // who may act on whom is the grant matrix (libs/auth/src/grants.ts), checked by the service
  @Post('users')
  @Roles(...rolesThatMay('create'))
  @ApiCreatedResponse({ type: CreatedUserResponse })
  @ApiErrors(400, 401, 403, 409)
  async createUser(
    @Scope() scope: TenantScope,
    @Body() body: CreateUserRequest,
  ): Promise<CreatedUserResponse> {
    const { user, initialPassword } = await this.partnerships.createUser(scope, body);
    return { ...UserResponse.from(user), initialPassword };
  }

  @Patch('users/:id')
  @Roles(...rolesThatMay('change'))
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async changeUser(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
    @Body() body: ChangeUserRequest,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.partnerships.changeUser(scope, id, body));
  }

  @Delete('users/:id')
  @Roles(...rolesThatMay('disable'))
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async disableUser(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.partnerships.disableUser(scope, id));
  }

  @Post('users/:id/enable')
  @HttpCode(200)
  @Roles(...rolesThatMay('disable'))
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 401, 403, 404)
  async enableUser(@Scope() scope: TenantScope, @Param('id', UuidParam) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.partnerships.enableUser(scope, id));
  }

  @Get('devices')
  @Roles(...ROLES.storeManagers)
  @ApiOkResponse({ type: PageOf(DeviceResponse) })
  @ApiErrors(400, 401, 403)
  async devices(@Scope() scope: TenantScope, @Query() q: PageQuery): Promise<PageResponse<DeviceResponse>> {
    return pageOf(await this.partnerships.listDevices(scope, q), DeviceResponse.from);
  }

  @Post('devices')
  @Roles(...ROLES.storeManagers)
  @ApiCreatedResponse({ type: EnrolledDeviceResponse })
  @ApiErrors(400, 401, 403, 409)
  async enrolDevice(
    @Scope() scope: TenantScope,
    @Body() body: EnrolDeviceRequest,
  ): Promise<EnrolledDeviceResponse> {
    const { device, credential } = await this.partnerships.enrolDevice(scope, body.storeId, body.name);
    return { ...DeviceResponse.from(device), credential };
  }

  @Delete('devices/:id')
  @Roles(...ROLES.storeManagers)
  @ApiOkResponse({ type: DeviceResponse })
  @ApiErrors(400, 401, 403, 404, 409)
  async revokeDevice(
    @Scope() scope: TenantScope,
    @Param('id', UuidParam) id: string,
  ): Promise<DeviceResponse> {
    return DeviceResponse.from(await this.partnerships.revokeDevice(scope, id));
  }
}
