import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';
import { AppealOutcome, AppealStatus, type ExclusionNotice } from '@app/offenders';
import { DATE_RANGES, IsZonedDateTime } from '@app/errors';

import { RequiredText, Text } from './text-fields';

export class IssueExclusionRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  storeIds?: string[];

  @Text(500) area?: string;

  @RequiredText(3, 2000, true)
  reason: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  incidentIds?: string[];

  @IsZonedDateTime(DATE_RANGES.past)
  servedAt: string;

  @RequiredText(1, 200)
  servedByName: string;

  @IsIn(['in_person', 'post', 'email', 'other'])
  serviceMethod: string;

  @IsOptional()
  @IsIn(['acknowledged', 'refused'])
  acknowledgement?: string;

  /** defaults to servedAt + the partnership's exclusion term (12 months) */
  @IsOptional()
  @IsZonedDateTime(DATE_RANGES.exclusionEnd)
  expiresAt?: string;
}

export class AppealRequest {
  @IsEnum(AppealStatus)
  status: AppealStatus;

  @IsOptional()
  @IsEnum(AppealOutcome)
  outcome?: AppealOutcome;

  @Text(2000, true) note?: string;
}

export class ExclusionsQuery {
  @IsOptional()
  @IsUUID()
  storeId?: string;
}

export class ExclusionResponse {
  id: string;
  subjectId: string;
  storeIds: string[];
  area: string | null;
  reason: string;
  incidentIds: string[];
  servedAt: string;
  servedByName: string;
  serviceMethod: string;
  acknowledgement: string | null;
  proofSha256: string | null;
  expiresAt: string;
  appealStatus: AppealStatus;
  appealOutcome: AppealOutcome | null;
  appealDecidedAt: string | null;
  /** served, unexpired and not overturned at the time of the answer */
  applies: boolean;

  static at(now: Date, applies: (n: ExclusionNotice, now: Date) => boolean) {
    return (n: ExclusionNotice): ExclusionResponse => ({
      id: n.id,
      subjectId: n.subjectId,
      storeIds: n.storeIds,
      area: n.area,
      reason: n.reason,
      incidentIds: n.incidentIds,
      servedAt: n.servedAt.toISOString(),
      servedByName: n.servedByName,
      serviceMethod: n.serviceMethod,
      acknowledgement: n.acknowledgement,
      proofSha256: n.proofSha256,
      expiresAt: n.expiresAt.toISOString(),
      appealStatus: n.appealStatus,
      appealOutcome: n.appealOutcome,
      appealDecidedAt: n.appealDecidedAt?.toISOString() ?? null,
      applies: applies(n, now),
    });
  }
}
