import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IncidentTrigger, IncidentType } from '@app/incidents';
import { DATE_RANGES, IsCalendarDate } from '@app/errors';

/** Filters every statistics route takes. Dates are London calendar days, both inclusive. */
export class StatsFilterQuery {
  @ApiPropertyOptional({ example: '2025-01-01' })
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.query)
  from?: string;

  @ApiPropertyOptional({ example: '2025-12-31' })
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.query)
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  partnershipId?: string;

  @ApiPropertyOptional({ description: 'police force area' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  forceArea?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ enum: IncidentType })
  @IsOptional()
  @IsEnum(IncidentType)
  type?: IncidentType;

  @ApiPropertyOptional({ enum: IncidentTrigger })
  @IsOptional()
  @IsEnum(IncidentTrigger)
  trigger?: IncidentTrigger;

  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class StatsSeriesQuery extends StatsFilterQuery {
  @ApiPropertyOptional({ enum: ['day', 'month'] })
  @IsOptional()
  @IsIn(['day', 'month'])
  interval?: 'day' | 'month';
}

export const BREAKDOWN_DIMENSIONS = [
  'type',
  'trigger',
  'weapon',
  'injury',
  'police',
  'partnership',
  'store',
] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export class StatsBreakdownQuery extends StatsFilterQuery {
  @ApiPropertyOptional({ enum: BREAKDOWN_DIMENSIONS })
  @IsIn(BREAKDOWN_DIMENSIONS)
  by: BreakdownDimension;
}

export class RequestReportBody {
  @ApiProperty({ type: Number })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiProperty({ type: Number })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  quarter: number;
}
