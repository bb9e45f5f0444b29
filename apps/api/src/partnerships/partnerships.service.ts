import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  assertStoreAccess,
  formatCredential,
  isShopRole,
  mayChangeRole,
  mayGrant,
  newSecret,
  PasswordHasher,
  Role,
  sha256Hex,
  storeFilterFor,
  type TenantScope,
} from '@app/auth';
import { DeviceRepository, UserRepository, type Device, type User } from '@app/identity';
import {
  MemberBusinessRepository,
  PartnershipRepository,
  StoreRepository,
  type MemberBusiness,
  type Partnership,
  type Store,
} from '@app/partnerships';
import { type Page, type PageRequest } from '@app/database';
import { DomainError, ErrorCode } from '@app/errors';
import type { CreateStoreRequest, UpdateStoreRequest } from './dto/store.dto';
import type { ChangeUserRequest, CreateUserRequest } from './dto/user.dto';

/** The partnership's own records: member businesses, stores, people and enrolled tablets. */
@Injectable()
export class PartnershipsService {
  constructor(
    private readonly partnerships: PartnershipRepository,
    private readonly businesses: MemberBusinessRepository,
    private readonly stores: StoreRepository,
    private readonly users: UserRepository,
    private readonly devices: DeviceRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async current(scope: TenantScope): Promise<Partnership> {
    return (await this.partnerships.findCurrent(scope)) ?? notFound('Partnership');
  }

  listBusinesses(scope: TenantScope, page: PageRequest): Promise<Page<MemberBusiness>> {
    return this.businesses.findPage(scope, page);
  }

  createBusiness(scope: TenantScope, name: string): Promise<MemberBusiness> {
    return this.businesses.create(scope, name);
  }

  async renameBusiness(scope: TenantScope, id: string, name: string): Promise<MemberBusiness> {
    return (await this.businesses.rename(scope, id, name)) ?? notFound('Business');
  }

  listStores(scope: TenantScope, businessId: string | undefined, page: PageRequest): Promise<Page<Store>> {
    return this.stores.findPage(scope, { storeId: storeFilterFor(scope), businessId }, page);
  }

  async getStore(scope: TenantScope, id: string): Promise<Store> {
    const store = (await this.stores.findById(scope, id)) ?? notFound('Store');
    assertStoreAccess(scope, store.id);
    return store;
  }

  async createStore(scope: TenantScope, body: CreateStoreRequest): Promise<Store> {
    const store = await this.stores.create(scope, {
      businessId: body.businessId,
      name: body.name,
      site: body.site,
      postcode: body.postcode.toUpperCase(),
      latitude: body.latitude ?? null,
      longitude: body.longitude ?? null,
    });
    return store ?? invalid('businessId', 'is not a member business of this partnership');
  }

  async updateStore(scope: TenantScope, id: string, body: UpdateStoreRequest): Promise<Store> {
    const { postcode, ...rest } = body;
    const store = await this.stores.update(scope, id, {
      ...rest,
      ...(postcode !== undefined ? { postcode: postcode.toUpperCase() } : {}),
    });
    return store ?? notFound('Store');
  }

  listUsers(scope: TenantScope, page: PageRequest): Promise<Page<User>> {
    return this.users.findPage(scope, { storeId: storeFilterFor(scope) }, page);
  }

  /** The partnership's active police officers, for handing a case over (names only). */
  listOfficers(scope: TenantScope, page: PageRequest): Promise<Page<User>> {
    return this.users.findPage(scope, { role: Role.Police, active: true }, page);
  }

  async getUser(scope: TenantScope, id: string): Promise<User> {
    const user = (await this.users.findById(scope, id)) ?? notFound('User');
    if (storeFilterFor(scope) && user.storeId !== scope.storeId) {
      throw DomainError.forbidden();
    }
    return user;
  }

  /** With no password given, the hub makes one and returns it once (an invitation). */
  async createUser(
    scope: TenantScope,
    body: CreateUserRequest,
  ): Promise<{ user: User; initialPassword: string | null }> {
    if (!mayGrant(scope.role, 'create', body.role)) {
      throw DomainError.forbidden(`You cannot create a ${body.role} account`);
    }
    checkStore(body.role, body.storeId ?? null);
    if (await this.users.emailTaken(body.email)) {
      throw new DomainError(ErrorCode.Conflict, 'An account with that email already exists', [
        { field: 'email', problems: ['is already in use'] },
      ]);
    }
    const initialPassword = body.password ? null : newPassword();
    const user = await this.users.create(scope, {
      email: body.email,
      displayName: body.displayName,
      role: body.role,
      storeId: body.storeId ?? null,
      passwordHash: await this.hasher.hash(body.password ?? (initialPassword as string)),
    });
    return { user: user ?? invalid('storeId', 'is not a store of this partnership'), initialPassword };
  }

  /** A change of role or store, allowed when the grant matrix lets the caller change both roles. */
  async changeUser(scope: TenantScope, id: string, body: ChangeUserRequest): Promise<User> {
    if (body.role === undefined && body.storeId === undefined) {
      invalid('role', 'or storeId must be given');
    }
    const target = (await this.users.findById(scope, id)) ?? notFound('User');
    if (id === scope.actorId) {
      throw DomainError.forbidden('You cannot change your own account');
    }
    const role = body.role ?? target.role;
    if (!mayChangeRole(scope.role, target.role, role)) {
      throw DomainError.forbidden(`You cannot change a ${target.role} account to ${role}`);
    }
    const storeId = body.storeId !== undefined ? body.storeId : isShopRole(role) ? target.storeId : null;
    checkStore(role, storeId);
    return (
      (await this.users.change(scope, id, { role, storeId })) ??
      invalid('storeId', 'is not a store of this partnership')
    );
  }

  async disableUser(scope: TenantScope, id: string): Promise<User> {
    if (id === scope.actorId) {
      throw DomainError.forbidden('You cannot disable your own account');
    }
    const target = (await this.users.findById(scope, id)) ?? notFound('User');
    if (!mayGrant(scope.role, 'disable', target.role)) {
      throw DomainError.forbidden(`You cannot disable a ${target.role} account`);
    }
    return (await this.users.disable(scope, id)) ?? notFound('User');
  }

  /** Re-enabling is governed by the same grant as disabling. */
  async enableUser(scope: TenantScope, id: string): Promise<User> {
    const target = (await this.users.findById(scope, id)) ?? notFound('User');
    if (!mayGrant(scope.role, 'disable', target.role)) {
      throw DomainError.forbidden(`You cannot re-enable a ${target.role} account`);
    }
    return (await this.users.enable(scope, id)) ?? notFound('User');
  }

  listDevices(scope: TenantScope, page: PageRequest): Promise<Page<Device>> {
    return this.devices.findPage(scope, { storeId: storeFilterFor(scope) }, page);
  }

  /** Enrols a till tablet; the credential is returned once and stored only as a hash. */
  async enrolDevice(
    scope: TenantScope,
    storeId: string,
    name: string,
  ): Promise<{ device: Device; credential: string }> {
    assertStoreAccess(scope, storeId);
    const id = randomUUID();
    const secret = newSecret();
    const device = await this.devices.enrol(scope, id, storeId, name, sha256Hex(secret));
    if (!device) {
      invalid('storeId', 'is not a store of this partnership');
    }
    return { device, credential: formatCredential({ partnershipId: scope.partnershipId, id, secret }) };
  }

  async revokeDevice(scope: TenantScope, id: string): Promise<Device> {
    const device = (await this.devices.findById(scope, id)) ?? notFound('Device');
    assertStoreAccess(scope, device.storeId);
    return (await this.devices.revoke(scope, id)) ?? notFound('Device');
  }
}

/** Same strength as the bootstrap's first admin password: 144 random bits. */
const newPassword = () => randomBytes(18).toString('base64url');

function notFound(what: string): never {
  throw DomainError.notFound(what);
}

/** Shop roles belong to one store; nobody else does. */
function checkStore(role: Role, storeId: string | null): void {
  if (isShopRole(role) && !storeId) {
    invalid('storeId', 'is required for shop roles');
  }
  if (!isShopRole(role) && storeId) {
    invalid('storeId', 'is only for shopworkers and store managers');
  }
}

function invalid(field: string, problem: string): never {
  throw DomainError.invalid(field, problem);
}
