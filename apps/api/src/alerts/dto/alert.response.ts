import { ApiProperty } from '@nestjs/swagger';
import { type AckStatus, type Alert, alertPayload } from '@app/alerts';
import type { AlertPayload } from '@app/realtime';

export class AckEntryResponse {
  @ApiProperty({ type: String })
  actorId: string;
  @ApiProperty({ type: String })
  actorKind: string;
  @ApiProperty({ type: String, nullable: true })
  storeId: string | null;
  @ApiProperty({ type: String })
  at: string;
}

/** The same shape the radio sends. */
export class AlertResponse {
  static from(a: Alert): AlertPayload {
    return alertPayload(a);
  }
}

export class AckStatusResponse {
  @ApiProperty({ type: String })
  alertId: string;
  @ApiProperty({ type: Number })
  seq: number;
  @ApiProperty({ type: [String] })
  recipientStoreIds: string[];
  @ApiProperty({ type: () => [AckEntryResponse] })
  acknowledged: AckEntryResponse[];
  /** recipient stores nobody has acknowledged for yet */
  @ApiProperty({ type: [String], description: 'recipient stores nobody has acknowledged for yet' })
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
