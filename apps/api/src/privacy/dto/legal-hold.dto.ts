import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import type { LegalHold, RetentionKind } from '@app/privacy';
import { RequiredText } from '../../http/text-fields';

const KINDS: RetentionKind[] = ['incident', 'alert'];

export class PlaceLegalHoldRequest {
  @ApiProperty({ enum: KINDS, enumName: 'LegalHoldObjectType' })
  @IsIn(KINDS)
  objectType: RetentionKind;

  @ApiProperty({ type: String })
  @IsUUID()
  objectId: string;

  /** why it must be kept (litigation, a police request to preserve, a subject access request) */
  @RequiredText(3, 500, true)
  reason: string;
}

export class LegalHoldResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ enum: KINDS, enumName: 'LegalHoldObjectType' })
  objectType: RetentionKind;
  @ApiProperty({ type: String })
  objectId: string;
  @ApiProperty({ type: String })
  reason: string;
  @ApiProperty({ type: String, nullable: true })
  placedBy: string | null;
  @ApiProperty({ type: String })
  createdAt: string;

  static from(h: LegalHold): LegalHoldResponse {
    return {
      id: h.id,
      objectType: h.objectType as RetentionKind,
      objectId: h.objectId,
      reason: h.reason,
      placedBy: h.placedBy,
      createdAt: h.createdAt.toISOString(),
    };
  }
}
