import { ROLES } from '@app/auth';
import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, TenantDb } from '@app/database';
import { Alert } from './entities/alert.entity';
import { AlertAck } from './entities/alert-ack.entity';
import { type NewAlert, raiseAlert } from './raise-alert';

export interface AlertBatch {
  alerts: Alert[];
  /** more rows follow the last one */
  more: boolean;
}

export interface AckOutcome {
  /** null when the alert does not exist or the actor is not entitled to it */
  alert: Pick<Alert, 'id' | 'seq' | 'senderId' | 'senderKind' | 'senderStoreId'> | null;
  ack: AlertAck | null;
  /** false when this actor had acknowledged it before */
  recorded: boolean;
}

export interface AckStatus {
  alert: Alert;
  acks: AlertAck[];
  /** recipient stores with no acknowledgement yet */
  pendingStoreIds: string[];
}

/** What every user and tablet of store `:sid` hears: the channel, the store, its talk groups now. */
const STORE_AUDIENCE = `(a.target_kind = 'partnership' OR a.store_id = :sid
  OR a.talk_group_id IN (SELECT tgs.talk_group_id FROM talk_group_stores tgs WHERE tgs.store_id = :sid))`;

/**
 * Restricts `a` to the alerts the actor may hear now: staff hear the whole partnership; a store
 * (its users and tablets) hears the partnership channel, its own store, the talk groups the store
 * belongs to now, and whatever it sent itself.
 */
export function whereEntitled(qb: SelectQueryBuilder<Alert>, scope: TenantScope): SelectQueryBuilder<Alert> {
  qb.andWhere('a.partnership_id = :pid', { pid: scope.partnershipId });
  if (ROLES.partnershipStaff.includes(scope.role) && scope.actorKind === 'user') {
    return qb;
  }
  if (!scope.storeId) {
    return qb.andWhere('a.sender_id = :aid', { aid: scope.actorId });
  }
  return qb.andWhere(`(${STORE_AUDIENCE} OR a.sender_id = :aid)`, { sid: scope.storeId, aid: scope.actorId });
}

export interface SharedAlertBatch {
  /** `shared`: the whole store hears it; otherwise only its sender (one of the actors asked for) */
  rows: { alert: Alert; shared: boolean }[];
  /** more rows, for one of the actors at least, follow the last one */
  more: boolean;
}

@Injectable()
export class AlertRepository {
  constructor(private readonly db: TenantDb) {}

  /** Stores the alert and its outbox row in one transaction (see raiseAlert). */
  raise(scope: TenantScope, input: NewAlert): Promise<Alert> {
    return this.db.run(scope, (em) =>
      raiseAlert(
        em,
        {
          partnershipId: scope.partnershipId,
          actorId: scope.actorId,
          actorKind: scope.actorKind,
          storeId: scope.storeId,
          requestId: scope.requestId,
        },
        input,
      ),
    );
  }

  /**
   * Alerts after `afterSeq`, oldest first, that the actor is entitled to now; with no `afterSeq`
   * (a fresh client), the ones still in force. Read-only: the radio's replay path.
   */
  findAfter(scope: TenantScope, afterSeq: number | null, limit: number): Promise<AlertBatch> {
    return this.db.run(scope, async (em) => {
      const qb = whereEntitled(em.createQueryBuilder(Alert, 'a'), scope);
      if (afterSeq === null) {
        qb.andWhere('a.expires_at > now()');
      } else {
        qb.andWhere('a.seq > :after', { after: afterSeq });
      }
      const rows = await qb
        .orderBy('a.seq', 'ASC')
        .take(limit + 1)
        .getMany();
      return { alerts: rows.slice(0, limit), more: rows.length > limit };
    });
  }

  /**
   * `findAfter` for several actors of one store at once (the radio's coalesced replay, one query
   * for a storm of tablets): what the store hears, plus what any of `actorIds` sent itself, each
   * row marked shared or not so the caller gives every actor its own part. Same tenant context.
   */
  findAfterForStore(
    scope: TenantScope,
    actorIds: readonly string[],
    afterSeq: number | null,
    limit: number,
  ): Promise<SharedAlertBatch> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(Alert, 'a')
        .addSelect(STORE_AUDIENCE, 'a_shared')
        .where('a.partnership_id = :pid', { pid: scope.partnershipId })
        .andWhere(`(${STORE_AUDIENCE} OR a.sender_id = ANY(:aids))`, {
          sid: scope.storeId,
          aids: [...actorIds],
        });
      if (afterSeq === null) {
        qb.andWhere('a.expires_at > now()');
      } else {
        qb.andWhere('a.seq > :after', { after: afterSeq });
      }
      // no joins: one raw row per entity, matched by id all the same
      const { entities, raw } = await qb
        .orderBy('a.seq', 'ASC')
        .limit(limit + 1)
        .getRawAndEntities<{ a_id: string; a_shared: boolean }>();
      const shared = new Map(raw.map((r) => [r.a_id, r.a_shared === true]));
      return {
        rows: entities.slice(0, limit).map((alert) => ({ alert, shared: shared.get(alert.id) === true })),
        more: entities.length > limit,
      };
    });
  }

  /** Newest first, keyed on seq; every listed alert is logged as consulted. */
  findPage(
    scope: TenantScope,
    filter: { beforeSeq?: number; afterSeq?: number },
    limit: number,
  ): Promise<AlertBatch> {
    return this.db.run(scope, async (em) => {
      const qb = whereEntitled(em.createQueryBuilder(Alert, 'a'), scope);
      if (filter.beforeSeq !== undefined) {
        qb.andWhere('a.seq < :before', { before: filter.beforeSeq });
      }
      if (filter.afterSeq !== undefined) {
        qb.andWhere('a.seq > :after', { after: filter.afterSeq });
      }
      const rows = await qb
        .orderBy('a.seq', 'DESC')
        .take(limit + 1)
        .getMany();
      const alerts = rows.slice(0, limit);
      await appendAudit(
        em,
        scope,
        alerts.map((a) => ({ action: AccessAction.Consult, objectType: 'alert', objectId: a.id })),
      );
      return { alerts, more: rows.length > limit };
    });
  }

  findById(scope: TenantScope, id: string): Promise<Alert | null> {
    return this.db.run(scope, (em) =>
      whereEntitled(em.createQueryBuilder(Alert, 'a'), scope).andWhere('a.id = :id', { id }).getOne(),
    );
  }

  /** The radio's only write: INSERT … ON CONFLICT DO NOTHING, once the actor's entitlement holds. */
  acknowledge(scope: TenantScope, alertId: string): Promise<AckOutcome> {
    return this.db.run(scope, async (em) => {
      const alert = await whereEntitled(em.createQueryBuilder(Alert, 'a'), scope)
        .select(['a.id', 'a.seq', 'a.senderId', 'a.senderKind', 'a.senderStoreId'])
        .andWhere('a.id = :id', { id: alertId })
        .getOne();
      if (!alert) {
        return { alert: null, ack: null, recorded: false };
      }
      const inserted = (await em.query(
        `INSERT INTO alert_acks (partnership_id, alert_id, actor_id, actor_kind, store_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (alert_id, actor_id) DO NOTHING
         RETURNING id`,
        [scope.partnershipId, alertId, scope.actorId, scope.actorKind, scope.storeId],
      )) as { id: string }[];
      const ack = await em.findOneByOrFail(AlertAck, { alertId, actorId: scope.actorId });
      return { alert, ack, recorded: inserted.length === 1 };
    });
  }

  /** Who has and has not acknowledged; null when the alert is not visible to the caller. */
  ackStatus(scope: TenantScope, alertId: string): Promise<AckStatus | null> {
    return this.db.run(scope, async (em) => {
      const alert = await whereEntitled(em.createQueryBuilder(Alert, 'a'), scope)
        .andWhere('a.id = :id', { id: alertId })
        .getOne();
      if (!alert) {
        return null;
      }
      const acks = await em.find(AlertAck, {
        where: { alertId, partnershipId: scope.partnershipId },
        order: { createdAt: 'ASC' },
      });
      const acked = new Set(acks.map((k) => k.storeId));
      return { alert, acks, pendingStoreIds: alert.recipientStoreIds.filter((s) => !acked.has(s)) };
    });
  }
}
