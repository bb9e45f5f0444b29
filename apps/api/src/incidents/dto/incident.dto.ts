import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  IncidentStatus,
  IncidentTrigger,
  IncidentType,
  InjuryLevel,
  WeaponKind,
  type Witness,
} from '@app/incidents';
import { DATE_RANGES, IsCalendarDate, IsHumanText, IsZonedDateTime, PenceAtMost } from '@app/errors';
import { SearchPageQuery } from '../../http/page.query';
import { RequiredText, Text } from '../../http/text-fields';
import { AppearanceDto } from './appearance';
import { RefusesSpecialCategories } from './refused-field';

/**
 * Plausible maxima (£1,000,000 a line and a report): well above any shop theft, and low enough
 * that statistics can add up tens of millions of reports exactly.
 */
export const MAX_LINE_PENCE = 100_000_000;
export const MAX_REPORT_PENCE = 100_000_000;

const lineValue = (l: Partial<GoodsLineDto> | undefined) => Number(l?.quantity) * Number(l?.unitPricePence);
/** The report's total, checked on its list of goods lines. */
const ReportTotalAtMost = () =>
  PenceAtMost(MAX_REPORT_PENCE, {
    what: "the report's total (each line's quantity × unit price)",
    amount: (lines) => (Array.isArray(lines) ? lines.reduce((sum: number, l) => sum + lineValue(l), 0) : 0),
  });

export class GoodsLineDto {
  @RequiredText(1, 200)
  description: string;

  @Text(64)
  sku?: string;

  @ApiProperty({ type: Number })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;

  /** the unit price offered for sale at the time (shelf or promotional), in pence */
  @ApiProperty({
    type: Number,
    description: 'the unit price offered for sale at the time (shelf or promotional), in pence',
  })
  @IsInt()
  @Min(0)
  @PenceAtMost(MAX_LINE_PENCE, {
    what: "the line's value (quantity × unit price)",
    amount: (_, line) => lineValue(line as GoodsLineDto),
  })
  unitPricePence: number;

  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  recoveredQuantity?: number;
}

/** Optional human-readable text of at most `max` characters. */
/** Damage to the business's property or stock, in pence (compensation, MG19); optional, 0 when none. */
function DamageValuePence(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: Number,
      description: "damage to the business's property or stock, in pence (compensation, MG19); 0 when none",
    }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(MAX_LINE_PENCE),
  );
}

/** A police crime reference as forces write them (optional; null clears it on an amendment). */
function CrimeReference(): PropertyDecorator {
  return (target, key) =>
    [
      ApiPropertyOptional({ type: String, nullable: true, pattern: '^[A-Za-z0-9/ -]{1,40}$' }),
      IsOptional(),
      Matches(/^[A-Za-z0-9/ -]{1,40}$/, {
        message: 'crimeReference must be letters, digits, / or - (at most 40)',
      }),
    ].forEach((d) => d(target, key));
}

/** How an offender looked and acted. */
export class OffenderDescriptionDto extends AppearanceDto {
  @Text(500, true)
  clothing?: string;
  @Text(20)
  vehicleRegistration?: string;
  @Text(200)
  directionOfTravel?: string;
  @Text(2000, true)
  exactWords?: string;
  @Text(2000, true)
  freeText?: string;
}

export class WitnessDto {
  @RequiredText(1, 200)
  name: string;

  @ApiProperty({ enum: ['staff', 'customer', 'other'] })
  @IsIn(['staff', 'customer', 'other'])
  kind: Witness['kind'];
  @Text(200)
  contact?: string;
}

/** Fields shared by a new report and an amendment. */
class IncidentFieldsDto extends RefusesSpecialCategories {
  @ApiProperty({ enum: IncidentType, enumName: 'IncidentType', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(IncidentType, { each: true })
  types: IncidentType[];

  @ApiProperty({ enum: IncidentTrigger, enumName: 'IncidentTrigger', isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsEnum(IncidentTrigger, { each: true })
  triggers: IncidentTrigger[];

  @ApiProperty({ enum: WeaponKind, enumName: 'WeaponKind' })
  @IsEnum(WeaponKind)
  weapon: WeaponKind;

  @ApiProperty({ enum: InjuryLevel, enumName: 'InjuryLevel' })
  @IsEnum(InjuryLevel)
  injury: InjuryLevel;

  @ApiProperty({ type: () => [GoodsLineDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GoodsLineDto)
  @ReportTotalAtMost()
  goods: GoodsLineDto[];

  @ApiProperty({ type: String })
  @IsZonedDateTime(DATE_RANGES.past)
  occurredAt: string;

  /** what happened, in the reporter's own words */
  @ApiProperty({ type: String, description: "what happened, in the reporter's own words" })
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  @IsHumanText({ multiline: true })
  narrative: string;

  @ApiProperty({ type: () => [OffenderDescriptionDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OffenderDescriptionDto)
  offenders: OffenderDescriptionDto[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUUID()
  offenderId?: string | null;

  @ApiProperty({ type: () => [WitnessDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WitnessDto)
  witnesses: WitnessDto[];

  @ApiProperty({ type: Boolean })
  @IsBoolean()
  policeReported: boolean;

  @CrimeReference()
  crimeReference?: string | null;

  @ApiProperty({ type: Boolean })
  @IsBoolean()
  policeAttended: boolean;

  @ApiProperty({ type: Boolean })
  @IsBoolean()
  cctvAvailable: boolean;

  /** the day the recorder will overwrite the footage (YYYY-MM-DD) */
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'the day the recorder will overwrite the footage (YYYY-MM-DD)',
  })
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.cctvOverwrite)
  cctvOverwriteOn?: string | null;

  /** recorder clock minus true time, in seconds (signed) */
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'recorder clock minus true time, in seconds (signed)',
  })
  @IsOptional()
  @IsInt()
  @Min(-7 * 24 * 3600)
  @Max(7 * 24 * 3600)
  cctvClockOffsetSeconds?: number | null;

  @ApiProperty({ type: Boolean })
  @IsBoolean()
  victimSupportOffered: boolean;

  @DamageValuePence()
  damageValuePence?: number;
}

export class CreateIncidentRequest extends IncidentFieldsDto {
  /** shop roles and tablets may omit it (their own store); others must name one */
  @ApiPropertyOptional({
    type: String,
    description: 'shop roles and tablets may omit it (their own store); others must name one',
  })
  @IsOptional()
  @IsUUID()
  storeId?: string;

  /** 'draft' keeps it editable; 'submitted' (the default) files it */
  @ApiPropertyOptional({
    enum: IncidentStatus,
    enumName: 'IncidentStatus',
    description: "'draft' keeps it editable; 'submitted' (the default) files it",
  })
  @IsOptional()
  @IsIn([IncidentStatus.Draft, IncidentStatus.Submitted])
  status?: IncidentStatus.Draft | IncidentStatus.Submitted;
}

/** Any subset of the fields, plus the version being amended and why. */
export class AmendIncidentRequest {
  @ApiProperty({ type: Number })
  @IsInt()
  @Min(1)
  version: number;
  @Text(500, true)
  reason?: string;

  @ApiPropertyOptional({ enum: IncidentType, enumName: 'IncidentType', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(IncidentType, { each: true })
  types?: IncidentType[];

  @ApiPropertyOptional({ enum: IncidentTrigger, enumName: 'IncidentTrigger', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(IncidentTrigger, { each: true })
  triggers?: IncidentTrigger[];

  @ApiPropertyOptional({ enum: WeaponKind, enumName: 'WeaponKind' })
  @IsOptional()
  @IsEnum(WeaponKind)
  weapon?: WeaponKind;
  @ApiPropertyOptional({ enum: InjuryLevel, enumName: 'InjuryLevel' })
  @IsOptional()
  @IsEnum(InjuryLevel)
  injury?: InjuryLevel;

  @ApiPropertyOptional({ type: () => [GoodsLineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GoodsLineDto)
  @ReportTotalAtMost()
  goods?: GoodsLineDto[];

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsZonedDateTime(DATE_RANGES.past)
  occurredAt?: string;
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  @IsHumanText({ multiline: true })
  narrative?: string;

  @ApiPropertyOptional({ type: () => [OffenderDescriptionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OffenderDescriptionDto)
  offenders?: OffenderDescriptionDto[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsUUID()
  offenderId?: string | null;

  @ApiPropertyOptional({ type: () => [WitnessDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WitnessDto)
  witnesses?: WitnessDto[];

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  policeReported?: boolean;
  @CrimeReference()
  crimeReference?: string | null;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  policeAttended?: boolean;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  cctvAvailable?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.cctvOverwrite)
  cctvOverwriteOn?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(-7 * 24 * 3600)
  @Max(7 * 24 * 3600)
  cctvClockOffsetSeconds?: number | null;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  victimSupportOffered?: boolean;

  @DamageValuePence()
  damageValuePence?: number;
}

export class TransitionIncidentRequest {
  @ApiProperty({ type: Number })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ enum: IncidentStatus, enumName: 'IncidentStatus' })
  @IsIn([IncidentStatus.Submitted, IncidentStatus.Reviewed, IncidentStatus.Closed])
  to: IncidentStatus.Submitted | IncidentStatus.Reviewed | IncidentStatus.Closed;
}

export class ListIncidentsQuery extends SearchPageQuery {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsZonedDateTime(DATE_RANGES.query)
  occurredFrom?: string;
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsZonedDateTime(DATE_RANGES.query)
  occurredTo?: string;
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  storeId?: string;
  @ApiPropertyOptional({ enum: IncidentType, enumName: 'IncidentType' })
  @IsOptional()
  @IsEnum(IncidentType)
  type?: IncidentType;
  @ApiPropertyOptional({ enum: IncidentTrigger, enumName: 'IncidentTrigger' })
  @IsOptional()
  @IsEnum(IncidentTrigger)
  trigger?: IncidentTrigger;
  @ApiPropertyOptional({ enum: WeaponKind, enumName: 'WeaponKind' })
  @IsOptional()
  @IsEnum(WeaponKind)
  weapon?: WeaponKind;
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  offenderId?: string;
  @ApiPropertyOptional({ enum: IncidentStatus, enumName: 'IncidentStatus' })
  @IsOptional()
  @IsEnum(IncidentStatus)
  status?: IncidentStatus;
}
