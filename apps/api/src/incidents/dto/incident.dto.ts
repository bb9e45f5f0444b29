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
  type GoodsLine,
  type Incident,
  type IncidentAmendment,
  IncidentStatus,
  IncidentTrigger,
  IncidentType,
  InjuryLevel,
  type OffenderDescription,
  WeaponKind,
  type Witness,
} from '@app/incidents';
import { DATE_RANGES, IsCalendarDate, IsHumanText, IsZonedDateTime, PenceAtMost } from '@app/errors';
import { PageQuery } from '../../http/page.query';
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
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  description: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsHumanText()
  sku?: string;

  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;

  /** the unit price offered for sale at the time (shelf or promotional), in pence */
  @IsInt()
  @Min(0)
  @PenceAtMost(MAX_LINE_PENCE, {
    what: "the line's value (quantity × unit price)",
    amount: (_, line) => lineValue(line as GoodsLineDto),
  })
  unitPricePence: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  recoveredQuantity?: number;
}

/** Optional human-readable text of at most `max` characters. */
function Text(max: number, multiline = false): PropertyDecorator {
  return (target, key) =>
    [IsOptional(), IsString(), MaxLength(max), IsHumanText({ multiline })].forEach((d) => d(target, key));
}

/** How an offender looked and acted. Special-category fields are refused by name. */
export class OffenderDescriptionDto extends RefusesSpecialCategories {
  @Text(50) apparentAgeRange?: string;
  @Text(50) height?: string;
  @Text(100) build?: string;
  @Text(200) hair?: string;
  @Text(500, true) clothing?: string;
  @Text(500, true) distinguishingMarks?: string;
  @Text(20) vehicleRegistration?: string;
  @Text(200) directionOfTravel?: string;
  @Text(2000, true) exactWords?: string;
  @Text(2000, true) freeText?: string;
}

export class WitnessDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  name: string;

  @IsIn(['staff', 'customer', 'other'])
  kind: Witness['kind'];

  @Text(200) contact?: string;
}

/** Fields shared by a new report and an amendment. */
class IncidentFieldsDto extends RefusesSpecialCategories {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(IncidentType, { each: true })
  types: IncidentType[];

  @IsArray()
  @ArrayUnique()
  @IsEnum(IncidentTrigger, { each: true })
  triggers: IncidentTrigger[];

  @IsEnum(WeaponKind)
  weapon: WeaponKind;

  @IsEnum(InjuryLevel)
  injury: InjuryLevel;

  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GoodsLineDto)
  @ReportTotalAtMost()
  goods: GoodsLineDto[];

  @IsZonedDateTime(DATE_RANGES.past)
  occurredAt: string;

  /** what happened, in the reporter's own words */
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  @IsHumanText({ multiline: true })
  narrative: string;

  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OffenderDescriptionDto)
  offenders: OffenderDescriptionDto[];

  @IsOptional()
  @IsUUID()
  offenderId?: string | null;

  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WitnessDto)
  witnesses: WitnessDto[];

  @IsBoolean()
  policeReported: boolean;

  @IsOptional()
  @Matches(/^[A-Za-z0-9/ -]{1,40}$/, {
    message: 'crimeReference must be letters, digits, / or - (at most 40)',
  })
  crimeReference?: string | null;

  @IsBoolean()
  policeAttended: boolean;

  @IsBoolean()
  cctvAvailable: boolean;

  /** the day the recorder will overwrite the footage (YYYY-MM-DD) */
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.cctvOverwrite)
  cctvOverwriteOn?: string | null;

  /** recorder clock minus true time, in seconds (signed) */
  @IsOptional()
  @IsInt()
  @Min(-7 * 24 * 3600)
  @Max(7 * 24 * 3600)
  cctvClockOffsetSeconds?: number | null;

  @IsBoolean()
  victimSupportOffered: boolean;
}

export class CreateIncidentRequest extends IncidentFieldsDto {
  /** shop roles and tablets may omit it (their own store); others must name one */
  @IsOptional()
  @IsUUID()
  storeId?: string;

  /** 'draft' keeps it editable; 'submitted' (the default) files it */
  @IsOptional()
  @IsIn([IncidentStatus.Draft, IncidentStatus.Submitted])
  status?: IncidentStatus.Draft | IncidentStatus.Submitted;
}

/** Any subset of the fields, plus the version being amended and why. */
export class AmendIncidentRequest {
  @IsInt()
  @Min(1)
  version: number;

  @Text(500, true)
  reason?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(IncidentType, { each: true })
  types?: IncidentType[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(IncidentTrigger, { each: true })
  triggers?: IncidentTrigger[];

  @IsOptional() @IsEnum(WeaponKind) weapon?: WeaponKind;
  @IsOptional() @IsEnum(InjuryLevel) injury?: InjuryLevel;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GoodsLineDto)
  @ReportTotalAtMost()
  goods?: GoodsLineDto[];

  @IsOptional() @IsZonedDateTime(DATE_RANGES.past) occurredAt?: string;
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  @IsHumanText({ multiline: true })
  narrative?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OffenderDescriptionDto)
  offenders?: OffenderDescriptionDto[];

  @IsOptional() @IsUUID() offenderId?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WitnessDto)
  witnesses?: WitnessDto[];

  @IsOptional() @IsBoolean() policeReported?: boolean;
  @IsOptional()
  @Matches(/^[A-Za-z0-9/ -]{1,40}$/, {
    message: 'crimeReference must be letters, digits, / or - (at most 40)',
  })
  crimeReference?: string | null;
  @IsOptional() @IsBoolean() policeAttended?: boolean;
  @IsOptional() @IsBoolean() cctvAvailable?: boolean;
  @IsOptional() @IsCalendarDate(DATE_RANGES.cctvOverwrite) cctvOverwriteOn?: string | null;
  @IsOptional() @IsInt() @Min(-7 * 24 * 3600) @Max(7 * 24 * 3600) cctvClockOffsetSeconds?: number | null;
  @IsOptional() @IsBoolean() victimSupportOffered?: boolean;
}

export class TransitionIncidentRequest {
  @IsInt()
  @Min(1)
  version: number;

  @IsIn([IncidentStatus.Submitted, IncidentStatus.Reviewed, IncidentStatus.Closed])
  to: IncidentStatus.Submitted | IncidentStatus.Reviewed | IncidentStatus.Closed;
}

export class ListIncidentsQuery extends PageQuery {
  @IsOptional() @IsZonedDateTime(DATE_RANGES.query) occurredFrom?: string;
  @IsOptional() @IsZonedDateTime(DATE_RANGES.query) occurredTo?: string;
  @IsOptional() @IsUUID() storeId?: string;
  @IsOptional() @IsEnum(IncidentType) type?: IncidentType;
  @IsOptional() @IsEnum(IncidentTrigger) trigger?: IncidentTrigger;
  @IsOptional() @IsEnum(WeaponKind) weapon?: WeaponKind;
  @IsOptional() @IsUUID() offenderId?: string;
  @IsOptional() @IsEnum(IncidentStatus) status?: IncidentStatus;
}

export class IncidentResponse {
  id: string;
  storeId: string;
  status: IncidentStatus;
  version: number;
  types: IncidentType[];
  triggers: IncidentTrigger[];
  weapon: WeaponKind;
  injury: InjuryLevel;
  goods: GoodsLine[];
  valuePence: number;
  recoveredValuePence: number;
  occurredAt: string;
  reportedAt: string | null;
  narrative: string;
  offenders: OffenderDescription[];
  offenderId: string | null;
  witnesses: Witness[];
  policeReported: boolean;
  crimeReference: string | null;
  policeAttended: boolean;
  cctvAvailable: boolean;
  cctvOverwriteOn: string | null;
  cctvClockOffsetSeconds: number | null;
  victimSupportOffered: boolean;
  reportedBy: string;
  reportedByKind: string;
  createdAt: string;
  updatedAt: string;

  static from(i: Incident): IncidentResponse {
    return {
      id: i.id,
      storeId: i.storeId,
      status: i.status,
      version: i.version,
      types: i.types,
      triggers: i.triggers,
      weapon: i.weapon,
      injury: i.injury,
      goods: i.goods,
      valuePence: Number(i.valuePence),
      recoveredValuePence: Number(i.recoveredValuePence),
      occurredAt: i.occurredAt.toISOString(),
      reportedAt: i.reportedAt?.toISOString() ?? null,
      narrative: i.narrative,
      offenders: i.offenders,
      offenderId: i.offenderId,
      witnesses: i.witnesses,
      policeReported: i.policeReported,
      crimeReference: i.crimeReference,
      policeAttended: i.policeAttended,
      cctvAvailable: i.cctvAvailable,
      cctvOverwriteOn: i.cctvOverwriteOn,
      cctvClockOffsetSeconds: i.cctvClockOffsetSeconds,
      victimSupportOffered: i.victimSupportOffered,
      reportedBy: i.reportedBy,
      reportedByKind: i.reportedByKind,
      createdAt: i.createdAt.toISOString(),
      updatedAt: i.updatedAt.toISOString(),
    };
  }
}

export class AmendmentResponse {
  version: number;
  changedBy: string;
  changedByKind: string;
  at: string;
  reason: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;

  static from(a: IncidentAmendment): AmendmentResponse {
    return {
      version: a.version,
      changedBy: a.changedBy,
      changedByKind: a.changedByKind,
      at: a.createdAt.toISOString(),
      reason: a.reason,
      changes: a.changes,
    };
  }
}
