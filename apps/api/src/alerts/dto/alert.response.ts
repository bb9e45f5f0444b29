import { type AckStatus, type Alert, alertPayload } from '@app/alerts';
import type { AlertPayload } from '@app/realtime';

/** The same shape the radio sends. */
export class AlertResponse {
  static from(a: Alert): AlertPayload {
    return alertPayload(a);
  }
}

export class AckStatusResponse {
  alertId: string;
  seq: number;
  recipientStoreIds: string[];
  acknowledged: { actorId: string; actorKind: string; storeId: string | null; at: string }[];
  /** recipient stores nobody has acknowledged for yet */
  pendingStoreIds: string[];

  static from(s: AckStatus): AckStatusResponse {
    return {
      alertId: s.alert.id,
      seq: Number(s.alert.seq),
      recipientStoreIds: s.alert.recipientStoreIds,
      acknowledged: s.acks.map((k) => ({
        actorId: k.actorId,
        actorKind: k.actorKind,
        storeId: k.storeId,
        at: k.createdAt.toISOString(),
      })),
      pendingStoreIds: s.pendingStoreIds,
    };
  }
}
