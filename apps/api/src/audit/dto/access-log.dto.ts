import { Type } from 'class-transformer';
import { IsInt, IsNumberString, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { AccessLogEntry } from '@app/database';

export class ListAccessLogQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;

  /** entries before this chain position (the previous page's last `seq`) */
  @IsOptional()
  @IsNumberString()
  beforeSeq?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  objectType?: string;

  @IsOptional()
  @IsUUID()
  objectId?: string;
}

export class AccessLogEntryResponse {
  seq: string;
  at: string;
  actorId: string | null;
  actorKind: string;
  action: string;
  objectType: string;
  objectId: string | null;
  recipients: string[];
  justification: string | null;
  requestId: string;
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
