import type { EntityManager } from 'typeorm';
import { type TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { ALERT_EVENT, type AlertPayload, rooms } from '@app/realtime';
import { AccessAction, appendAudit, appendOutbox } from '@app/database';
import { Alert, AlertPriority, AlertTarget, AlertType } from './entities/alert.entity';
import { Store } from '@app/partnerships';
import { TalkGroup } from './entities/talk-group.entity';
import { TalkGroupStore } from './entities/talk-group-store.entity';

/** Who raises an alert: a user, a tablet, or the system (a job, e.g. a serial-offender flag). */
export interface AlertSender {
  partnershipId: string;
  actorId: string | null;
  actorKind: 'user' | 'device' | 'system';
  storeId: string | null;
  requestId: string;
}

export type AlertTargetInput =
  | { kind: AlertTarget.Partnership }
  | { kind: AlertTarget.TalkGroup; talkGroupId: string }
  | { kind: AlertTarget.Store; storeId: string };

export interface NewAlert {
  type: AlertType;
  /** defaults by type; `emergency` is reserved for (and forced on) requests for assistance */
  priority?: AlertPriority;
  message: string;
  offenderProfileId?: string | null;
  target: AlertTargetInput;
  /** defaults by type */
  expiresInSeconds?: number;
}

export const ALERT_MESSAGE_MAX = 500;
export const ALERT_EXPIRY_MAX_SECONDS = 7 * 24 * 3600;

export const ALERT_DEFAULTS: Record<AlertType, { priority: AlertPriority; expiresInSeconds: number }> = {
  [AlertType.AssistanceRequested]: { priority: AlertPriority.Emergency, expiresInSeconds: 30 * 60 },
  [AlertType.OffenderSighted]: { priority: AlertPriority.High, expiresInSeconds: 2 * 3600 },
  [AlertType.AllClear]: { priority: AlertPriority.Normal, expiresInSeconds: 3600 },
  [AlertType.Information]: { priority: AlertPriority.Normal, expiresInSeconds: 12 * 3600 },
};

/**
 * Stores an alert and its outbox row in the caller's transaction (api, worker or a repository):
 * takes the next `alert_seq` from the partnership's counter row (the row lock orders raisers, so
 * seq order is commit order and a rolled-back alert leaves no gap), records who it was sent to and
 * logs the disclosure. Nothing is sent unless the transaction commits.
 */
export async function raiseAlert(em: EntityManager, sender: AlertSender, input: NewAlert): Promise<Alert> {
  const pid = sender.partnershipId;
  const defaults = ALERT_DEFAULTS[input.type];
  if (!defaults) {
    throw DomainError.invalid('type', 'is not an alert type');
  }
  const priority =
    input.type === AlertType.AssistanceRequested
      ? AlertPriority.Emergency
      : (input.priority ?? defaults.priority);
  if (priority === AlertPriority.Emergency && input.type !== AlertType.AssistanceRequested) {
    throw DomainError.invalid('priority', 'emergency is reserved for requests for assistance');
  }
  const message = input.message.trim();
  if (!message || message.length > ALERT_MESSAGE_MAX) {
    throw DomainError.invalid('message', `must be 1 to ${ALERT_MESSAGE_MAX} characters`);
  }
  const expiresIn = input.expiresInSeconds ?? defaults.expiresInSeconds;
  if (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > ALERT_EXPIRY_MAX_SECONDS) {
    throw DomainError.invalid('expiresInSeconds', `must be 60 to ${ALERT_EXPIRY_MAX_SECONDS}`);
  }

  let recipientStoreIds: string[];
  let targetRooms: string[];
  let talkGroupId: string | null = null;
  let storeId: string | null = null;
  switch (input.target.kind) {
    case AlertTarget.Partnership: {
      const stores = await em.find(Store, { select: { id: true }, where: { partnershipId: pid } });
      recipientStoreIds = stores.map((s) => s.id);
      targetRooms = [rooms.partnership(pid)];
      break;
    }
    case AlertTarget.TalkGroup: {
      talkGroupId = input.target.talkGroupId;
      if (!(await em.existsBy(TalkGroup, { id: talkGroupId, partnershipId: pid }))) {
        throw DomainError.invalid('target.talkGroupId', 'is not a talk group of this partnership');
      }
      const members = await em.find(TalkGroupStore, {
        select: { storeId: true },
        where: { talkGroupId, partnershipId: pid },
      });
      recipientStoreIds = members.map((m) => m.storeId);
      targetRooms = [...recipientStoreIds.map(rooms.store), rooms.staff(pid)];
      break;
    }
    case AlertTarget.Store: {
      storeId = input.target.storeId;
      if (!(await em.existsBy(Store, { id: storeId, partnershipId: pid }))) {
        throw DomainError.invalid('target.storeId', 'is not a store of this partnership');
      }
      recipientStoreIds = [storeId];
      targetRooms = [rooms.store(storeId), rooms.staff(pid)];
      break;
    }
  }
  if (sender.actorKind === 'user' && sender.actorId) {
    targetRooms.push(rooms.user(sender.actorId));
  }

  // The counter row lock is held to commit: later raisers of this partnership wait here.
  const [{ last_seq: seq }] = (await em.query(
    `INSERT INTO alert_counters (partnership_id, last_seq) VALUES ($1, 1)
     ON CONFLICT (partnership_id) DO UPDATE SET last_seq = alert_counters.last_seq + 1
     RETURNING last_seq::text`,
    [pid],
  )) as { last_seq: string }[];

  const { identifiers } = await em.insert(Alert, {
    partnershipId: pid,
    seq,
    type: input.type,
    priority,
    message,
    offenderProfileId: input.offenderProfileId ?? null,
    targetKind: input.target.kind,
    talkGroupId,
    storeId,
    recipientStoreIds,
    senderId: sender.actorId,
    senderKind: sender.actorKind,
    senderStoreId: sender.storeId,
    expiresAt: () => `now() + make_interval(secs => ${expiresIn})`,
  });
  const alert = await em.findOneByOrFail(Alert, { id: identifiers[0].id as string });

  // The relay publishes in created_at order. appendOutbox stamps the clock as the transaction
  // writes it, after the counter lock was taken (now() could precede a transaction that took an
  // earlier seq), so the live order equals seq order.
  await appendOutbox(em, sender, {
    kind: 'realtime',
    event: ALERT_EVENT,
    rooms: [...new Set(targetRooms)],
    payload: alertPayload(alert),
  });

  await appendAudit(
    em,
    {
      partnershipId: pid,
      actorId: sender.actorId,
      actorKind: sender.actorKind,
      requestId: sender.requestId,
    } as unknown as TenantScope,
    {
      action: AccessAction.Disclose,
      objectType: 'alert',
      objectId: alert.id,
      recipients: targetRooms,
    },
  );
  return alert;
}

/** The transport shape of an alert. */
export function alertPayload(a: Alert): AlertPayload {
  return {
    id: a.id,
    seq: Number(a.seq),
    partnershipId: a.partnershipId,
    type: a.type,
    priority: a.priority,
    message: a.message,
    offenderProfileId: a.offenderProfileId,
    target: { kind: a.targetKind, talkGroupId: a.talkGroupId, storeId: a.storeId },
    sender: { id: a.senderId, kind: a.senderKind, storeId: a.senderStoreId },
    createdAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
  };
}
