import { ApiProperty } from '@nestjs/swagger';
import { type AckStatus, type Alert, alertPayload } from '@app/alerts';
import type { AlertPayload, AlertPriorityName, AlertTargetKind, AlertTypeName } from '@app/realtime';

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

export class AlertTargetResponse {
  @ApiProperty({ enum: ['partnership', 'talk_group', 'store'] })
  kind: AlertTargetKind;
  @ApiProperty({ type: String, nullable: true })
  talkGroupId: string | null;
  @ApiProperty({ type: String, nullable: true })
  storeId: string | null;
}

export class AlertSenderResponse {
  @ApiProperty({ type: String, nullable: true })
  id: string | null;
  @ApiProperty({ type: String })
  kind: string;
  @ApiProperty({ type: String, nullable: true })
  storeId: string | null;
}

/** The schema of AlertPayload, the alert as the radio sends it. */
export class AlertPayloadResponse implements AlertPayload {
  @ApiProperty({ type: String })
  id: string;
  /** per-partnership sequence: gapless in the database, in commit order */
  @ApiProperty({
    type: Number,
    description: 'per-partnership sequence: gapless in the database, in commit order',
  })
  seq: number;
  @ApiProperty({ type: String })
  partnershipId: string;
  @ApiProperty({ enum: ['offender_sighted', 'assistance_requested', 'all_clear', 'information'] })
  type: AlertTypeName;
  @ApiProperty({ enum: ['emergency', 'high', 'normal', 'low'] })
  priority: AlertPriorityName;
  @ApiProperty({ type: String })
  message: string;
  @ApiProperty({ type: String, nullable: true })
  offenderProfileId: string | null;
  @ApiProperty({ type: () => AlertTargetResponse })
  target: AlertTargetResponse;
  @ApiProperty({ type: () => AlertSenderResponse })
  sender: AlertSenderResponse;
  @ApiProperty({ type: String })
  createdAt: string;
  @ApiProperty({ type: String })
  expiresAt: string;
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
