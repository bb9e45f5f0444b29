import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';
import { AppealOutcome, AppealStatus, type ExclusionNotice } from '@app/offenders';
import { DATE_RANGES, IsZonedDateTime } from '@app/errors';

import { PageQuery } from '../../http/page.query';
import { RequiredText, Text } from '../../http/text-fields';

export class IssueExclusionRequest {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  storeIds?: string[];
  @Text(500)
  area?: string;
  @RequiredText(3, 2000, true)
  reason: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  incidentIds?: string[];

  @ApiProperty({ type: String })
  @IsZonedDateTime(DATE_RANGES.past)
  servedAt: string;
  @RequiredText(1, 200)
  servedByName: string;

  @ApiProperty({ type: String })
  @IsIn(['in_person', 'post', 'email', 'other'])
  serviceMethod: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsIn(['acknowledged', 'refused'])
  acknowledgement?: string;

  /** defaults to servedAt + the partnership's exclusion term (12 months) */
  @ApiPropertyOptional({
    type: String,
    description: "defaults to servedAt + the partnership's exclusion term (12 months)",
  })
  @IsOptional()
  @IsZonedDateTime(DATE_RANGES.exclusionEnd)
  expiresAt?: string;
}

export class AppealRequest {
  @ApiProperty({ enum: AppealStatus, enumName: 'AppealStatus' })
  @IsEnum(AppealStatus)
  status: AppealStatus;

  @ApiPropertyOptional({ enum: AppealOutcome, enumName: 'AppealOutcome' })
  @IsOptional()
  @IsEnum(AppealOutcome)
  outcome?: AppealOutcome;
  @Text(2000, true)
  note?: string;
}

export class ExclusionsQuery extends PageQuery {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  storeId?: string;
}

export class ExclusionResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  subjectId: string;
  @ApiProperty({ type: [String] })
  storeIds: string[];
  @ApiProperty({ type: String, nullable: true })
  area: string | null;
  @ApiProperty({ type: String })
  reason: string;
  @ApiProperty({ type: [String] })
  incidentIds: string[];
  @ApiProperty({ type: String })
  servedAt: string;
  @ApiProperty({ type: String })
  servedByName: string;
  @ApiProperty({ type: String })
  serviceMethod: string;
  @ApiProperty({ type: String, nullable: true })
  acknowledgement: string | null;
  @ApiProperty({ type: String, nullable: true })
  proofSha256: string | null;
  @ApiProperty({ type: String })
  expiresAt: string;
  @ApiProperty({ enum: AppealStatus, enumName: 'AppealStatus' })
  appealStatus: AppealStatus;
  @ApiProperty({ enum: AppealOutcome, enumName: 'AppealOutcome', nullable: true })
  appealOutcome: AppealOutcome | null;
  @ApiProperty({ type: String, nullable: true })
  appealDecidedAt: string | null;
  /** served, unexpired and not overturned at the time of the answer */
  @ApiProperty({
    type: Boolean,
    description: 'served, unexpired and not overturned at the time of the answer',
  })
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
