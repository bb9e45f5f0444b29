import { Injectable } from '@nestjs/common';
import { isShopRole, Role, storeFilterFor, type TenantScope, ROLES } from '@app/auth';
import {
  type AckStatus,
  type Alert,
  type AlertBatch,
  AlertRepository,
  AlertTarget,
  AlertType,
  type NewAlert,
  RadioSettingsRepository,
  type RadioSettingsValues,
  TalkGroupRepository,
  type TalkGroupWithStores,
} from '@app/alerts';
import { ReferenceRepository } from '@app/offenders';
import { DomainError, ErrorCode } from '@app/errors';
import { AlertRateLimiter } from './alert-rate-limiter';
import type { RaiseAlertRequest } from './dto/raise-alert.request';

/** Raising and reading radio alerts, talk groups and the partnership's radio settings. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly talkGroups: TalkGroupRepository,
    private readonly settings: RadioSettingsRepository,
    private readonly limiter: AlertRateLimiter,
    private readonly references: ReferenceRepository,
  ) {}

  /**
   * Coordinators and admins broadcast anywhere in the partnership; shops (their users and tablets)
   * raise only to talk groups their store belongs to, and only when the partnership allows it.
   */
  async raise(scope: TenantScope, body: RaiseAlertRequest): Promise<Alert> {
    const target = toTarget(body);
    if (body.offenderProfileId && body.type !== AlertType.OffenderSighted) {
      throw DomainError.invalid('offenderProfileId', 'is only for offender_sighted alerts');
    }
    const fromShop = isShopRole(scope.role) || scope.actorKind === 'device';
    if (fromShop) {
      if (!(await this.settings.get(scope)).shopsMayRaise) {
        throw DomainError.forbidden('Your partnership does not let shops raise alerts');
      }
      if (target.kind !== AlertTarget.TalkGroup) {
        throw DomainError.invalid('target.kind', 'shops raise alerts to a talk group of their store');
      }
      if (!scope.storeId || !(await this.talkGroups.isMember(scope, target.talkGroupId, scope.storeId))) {
        throw DomainError.forbidden('Your store is not in that talk group');
      }
    } else if (scope.role !== Role.Coordinator && scope.role !== Role.Admin) {
      throw DomainError.forbidden();
    }
    await this.references.assertSubject(scope, body.offenderProfileId, 'offenderProfileId');
    await this.limiter.consume(scope.actorId);
    const input: NewAlert = {
      type: body.type,
      priority: body.priority,
      message: body.message,
      offenderProfileId: body.offenderProfileId ?? null,
      target,
      expiresInSeconds: body.expiresInSeconds,
    };
    return this.alerts.raise(scope, input);
  }

  list(scope: TenantScope, q: { limit: number; cursor?: string; afterSeq?: number }): Promise<AlertBatch> {
    return this.alerts.findPage(
      scope,
      { beforeSeq: q.cursor ? Number(q.cursor) : undefined, afterSeq: q.afterSeq },
      q.limit,
    );
  }

  async get(scope: TenantScope, id: string): Promise<Alert> {
    return (await this.alerts.findById(scope, id)) ?? notFound('Alert');
  }

  /** The sender (or its store) and the partnership's staff see who has and has not acknowledged. */
  async ackStatus(scope: TenantScope, id: string): Promise<AckStatus> {
    const status = (await this.alerts.ackStatus(scope, id)) ?? notFound('Alert');
    const staff = ROLES.partnershipStaff.includes(scope.role) && scope.actorKind === 'user';
    const sender =
      status.alert.senderId === scope.actorId ||
      (!!scope.storeId && status.alert.senderStoreId === scope.storeId);
    if (!staff && !sender) {
      throw DomainError.forbidden('Only the sender and coordinators see acknowledgements');
    }
    return status;
  }

  listTalkGroups(scope: TenantScope): Promise<TalkGroupWithStores[]> {
    return this.talkGroups.findAll(scope, { storeId: storeFilterFor(scope) });
  }

  async createTalkGroup(scope: TenantScope, name: string): Promise<TalkGroupWithStores> {
    const talkGroup = await this.talkGroups.create(scope, name.trim());
    if (!talkGroup) {
      throw new DomainError(ErrorCode.Conflict, 'A talk group with that name already exists', [
        { field: 'name', problems: ['is already in use'] },
      ]);
    }
    return { talkGroup, storeIds: [] };
  }

  async setTalkGroupStores(scope: TenantScope, id: string, storeIds: string[]): Promise<TalkGroupWithStores> {
    const result = await this.talkGroups.setStores(scope, id, storeIds);
    if (result === 'not-found') {
      return notFound('Talk group');
    }
    if (result === 'bad-store') {
      throw DomainError.invalid('storeIds', 'must all be stores of this partnership');
    }
    return result;
  }

  getSettings(scope: TenantScope): Promise<RadioSettingsValues> {
    return this.settings.get(scope);
  }

  updateSettings(scope: TenantScope, values: RadioSettingsValues): Promise<RadioSettingsValues> {
    return this.settings.update(scope, values);
  }
}

function toTarget(body: RaiseAlertRequest): NewAlert['target'] {
  const t = body.target;
  switch (t.kind) {
    case AlertTarget.Partnership:
      if (t.talkGroupId || t.storeId) {
        throw DomainError.invalid('target', 'a partnership-wide alert names no talk group or store');
      }
      return { kind: AlertTarget.Partnership };
    case AlertTarget.TalkGroup:
      if (!t.talkGroupId || t.storeId) {
        throw DomainError.invalid(
          'target.talkGroupId',
          'is required (and storeId not allowed) for a talk group',
        );
      }
      return { kind: AlertTarget.TalkGroup, talkGroupId: t.talkGroupId };
    case AlertTarget.Store:
      if (!t.storeId || t.talkGroupId) {
        throw DomainError.invalid('target.storeId', 'is required (and talkGroupId not allowed) for a store');
      }
      return { kind: AlertTarget.Store, storeId: t.storeId };
  }
}

function notFound(what: string): never {
  throw DomainError.notFound(what);
}
