import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumberString, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { AccessLogEntry, ChainVerdict } from '@app/database';

export class ChainVerdictResponse implements ChainVerdict {
  @ApiProperty({ type: Number })
  entries: number;
  @ApiProperty({ type: Boolean })
  valid: boolean;
  /** seq of the first entry whose hash does not follow */
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'seq of the first entry whose hash does not follow',
  })
  brokenAt: string | null;
}

export class ListAccessLogQuery {
  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;

  /** entries before this chain position (the previous page's last `seq`) */
  @ApiPropertyOptional({
    type: String,
    description: "entries before this chain position (the previous page's last `seq`)",
  })
  @IsOptional()
  @IsNumberString()
  beforeSeq?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  objectType?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  objectId?: string;
}

export class AccessLogEntryResponse {
  @ApiProperty({ type: String })
  seq: string;
  @ApiProperty({ type: String })
  at: string;
  @ApiProperty({ type: String, nullable: true })
  actorId: string | null;
  @ApiProperty({ type: String })
  actorKind: string;
  @ApiProperty({ type: String })
  action: string;
  @ApiProperty({ type: String })
  objectType: string;
  @ApiProperty({ type: String, nullable: true })
  objectId: string | null;
  @ApiProperty({ type: [String] })
  recipients: string[];
  @ApiProperty({ type: String, nullable: true })
  justification: string | null;
  @ApiProperty({ type: String })
  requestId: string;
  @ApiProperty({ type: String })
  hash: string;

  static from(e: AccessLogEntry): AccessLogEntryResponse {
    return {
      seq: e.seq,
      at: e.createdAt.toISOString(),
      actorId: e.actorId,
      actorKind: e.actorKind,
      action: e.action,
      objectType: e.objectType,
      objectId: e.objectId,
      recipients: e.recipients,
      justification: e.justification,
      requestId: e.requestId,
      hash: e.hash,
    };
  }
}
