import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
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
import { Role } from '@app/auth';
import {
  AppealOutcome,
  AppealStatus,
  type ExclusionNotice,
  type Gallery,
  type GalleryListing,
  type LegalRule,
  ListingState,
  type SerialFlag,
  SerialFlagState,
  type Subject,
  type SubjectAggregate,
  type SubjectImage,
  type SubjectIncident,
  SubjectKind,
  type SubjectView,
  type Suggestion,
} from '@app/offenders';
import { DATE_RANGES, IsHumanText, IsZonedDateTime } from '@app/errors';
import { PageQuery } from '../../http/page.query';
import { RefusesSpecialCategories } from '../../incidents/dto/refused-field';

/** Optional human-readable text of at most `max` characters. */
function Text(max: number, multiline = false): PropertyDecorator {
  return (target, key) =>
    [IsOptional(), IsString(), MaxLength(max), IsHumanText({ multiline })].forEach((d) => d(target, key));
}

/** Required human-readable text of `min` to `max` characters. */
function RequiredText(min: number, max: number, multiline = false): PropertyDecorator {
  return (target, key) =>
    [IsString(), MinLength(min), MaxLength(max), IsHumanText({ multiline })].forEach((d) => d(target, key));
}

export class SubjectDescriptionDto extends RefusesSpecialCategories {
  @Text(50) apparentAgeRange?: string;
  @Text(50) height?: string;
  @Text(100) build?: string;
  @Text(200) hair?: string;
  @Text(500, true) usualClothing?: string;
  @Text(500, true) distinguishingMarks?: string;
  @Text(2000, true) notes?: string;
}

export class VehicleDto {
  @IsString()
  @Matches(/^[A-Za-z0-9 ]{2,10}$/, { message: 'registration must be 2 to 10 letters or digits' })
  registration: string;

  @Text(50) make?: string;
  @Text(50) model?: string;
  @Text(30) colour?: string;
}

export class CreateSubjectRequest extends RefusesSpecialCategories {
  @IsEnum(SubjectKind)
  kind: SubjectKind;

  /** required for a known subject */
  @IsOptional()
  @RequiredText(1, 200)
  name?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @IsHumanText({ each: true })
  aliases?: string[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SubjectDescriptionDto)
  description: SubjectDescriptionDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VehicleDto)
  vehicles?: VehicleDto[];

  /** under 18 (or otherwise vulnerable): listing needs a recorded special review */
  @IsOptional()
  @IsBoolean()
  juvenile?: boolean;
}

export class UpdateSubjectRequest extends RefusesSpecialCategories {
  @IsOptional()
  @IsEnum(SubjectKind)
  kind?: SubjectKind;

  @IsOptional()
  @RequiredText(1, 200)
  name?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @IsHumanText({ each: true })
  aliases?: string[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubjectDescriptionDto)
  description?: SubjectDescriptionDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VehicleDto)
  vehicles?: VehicleDto[];

  @IsOptional()
  @IsBoolean()
  juvenile?: boolean;
}

export class SubjectImageResponse {
  id: string;
  sha256: string;
  viewSha256: string | null;
  mediaType: string;
  sizeBytes: number;
  createdAt: string;

  static from(i: SubjectImage): SubjectImageResponse {
    return {
      id: i.id,
      sha256: i.sha256,
      viewSha256: i.viewSha256,
      mediaType: i.mediaType,
      sizeBytes: Number(i.sizeBytes),
      createdAt: i.createdAt.toISOString(),
    };
  }
}

export class AggregateResponse {
  incidentCount: number;
  totalValuePence: number;
  storeIds: string[];
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  violence: boolean;
  retailWorkerOffences: number;
  version: number;

  static from(a: SubjectAggregate | null): AggregateResponse {
    return {
      incidentCount: a?.incidentCount ?? 0,
      totalValuePence: Number(a?.totalValuePence ?? 0),
      storeIds: a?.storeIds ?? [],
      firstSeenAt: a?.firstSeenAt?.toISOString() ?? null,
      lastSeenAt: a?.lastSeenAt?.toISOString() ?? null,
      violence: a?.violence ?? false,
      retailWorkerOffences: a?.retailWorkerOffences ?? 0,
      version: a?.version ?? 0,
    };
  }
}

export class ListingResponse {
  id: string;
  galleryId: string;
  subjectId: string;
  state: ListingState;
  reason: string;
  incidentIds: string[];
  proposedBy: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  listedAt: string | null;
  expiresAt: string | null;
  renewedAt: string | null;
  delistedAt: string | null;
  delistReason: string | null;
  /** listed and unexpired at the time of the answer */
  current: boolean;

  static at(now: Date) {
    return (l: GalleryListing): ListingResponse => ({
      id: l.id,
      galleryId: l.galleryId,
      subjectId: l.subjectId,
      state: l.state,
      reason: l.reason,
      incidentIds: l.incidentIds,
      proposedBy: l.proposedBy,
      reviewedBy: l.reviewedBy,
      reviewedAt: l.reviewedAt?.toISOString() ?? null,
      reviewNote: l.reviewNote,
      listedAt: l.listedAt?.toISOString() ?? null,
      expiresAt: l.expiresAt?.toISOString() ?? null,
      renewedAt: l.renewedAt?.toISOString() ?? null,
      delistedAt: l.delistedAt?.toISOString() ?? null,
      delistReason: l.delistReason,
      current: l.state === ListingState.Listed && !!l.expiresAt && l.expiresAt > now,
    });
  }
}

export class SubjectResponse {
  id: string;
  kind: SubjectKind;
  reference: string;
  name: string | null;
  aliases: string[];
  description: Subject['description'];
  vehicles: Subject['vehicles'];
  juvenile: boolean;
  createdAt: string;
  aggregate?: AggregateResponse;
  images?: SubjectImageResponse[];
  listings?: ListingResponse[];

  static from(s: Subject): SubjectResponse {
    return {
      id: s.id,
      kind: s.kind,
      reference: s.reference,
      name: s.name,
      aliases: s.aliases,
      description: s.description,
      vehicles: s.vehicles,
      juvenile: s.juvenile,
      createdAt: s.createdAt.toISOString(),
    };
  }

  static full(v: SubjectView, now: Date): SubjectResponse {
    return {
      ...SubjectResponse.from(v.subject),
      aggregate: AggregateResponse.from(v.aggregate),
      images: v.images.map(SubjectImageResponse.from),
      listings: v.listings.map(ListingResponse.at(now)),
    };
  }
}

export class LinkIncidentRequest {
  @IsUUID()
  incidentId: string;

  @Text(1000, true)
  note?: string;
}

export class UnlinkIncidentRequest {
  @IsUUID()
  incidentId: string;

  @RequiredText(3, 1000, true)
  reason: string;
}

export class LinkResponse {
  incidentId: string;
  subjectId: string;
  linkedBy: string;
  note: string | null;
  occurredAt: string;
  storeId: string;
  valuePence: number;
  theftShop: boolean;
  violence: boolean;
  retailWorkerOffence: boolean;
  createdAt: string;

  static from(l: SubjectIncident): LinkResponse {
    return {
      incidentId: l.incidentId,
      subjectId: l.subjectId,
      linkedBy: l.linkedBy,
      note: l.note,
      occurredAt: l.occurredAt.toISOString(),
      storeId: l.storeId,
      valuePence: Number(l.valuePence),
      theftShop: l.theftShop,
      violence: l.violence,
      retailWorkerOffence: l.retailWorkerOffence,
      createdAt: l.createdAt.toISOString(),
    };
  }
}

export class SuggestionResponse {
  incidentId: string;
  occurredAt: string;
  storeId: string;
  reasons: string[];

  static from(s: Suggestion): SuggestionResponse {
    return {
      incidentId: s.incidentId,
      occurredAt: s.occurredAt.toISOString(),
      storeId: s.storeId,
      reasons: s.reasons,
    };
  }
}

const AUDIENCE = [Role.Shopworker, Role.StoreManager, Role.Police, Role.Coordinator, Role.Admin];

export class CreateGalleryRequest {
  @RequiredText(1, 100)
  name: string;

  @Text(500, true) purpose?: string;

  /** how long a listing lasts unless renewed with new incidents */
  @IsInt()
  @Min(1)
  @Max(730)
  defaultListingDays: number;

  @IsArray()
  @ArrayUnique()
  @IsIn(AUDIENCE, { each: true })
  audienceRoles: Role[];
}

export class GalleryResponse {
  id: string;
  name: string;
  purpose: string | null;
  defaultListingDays: number;
  audienceRoles: string[];

  static from(g: Gallery): GalleryResponse {
    return {
      id: g.id,
      name: g.name,
      purpose: g.purpose,
      defaultListingDays: g.defaultListingDays,
      audienceRoles: g.audienceRoles,
    };
  }
}

export class ProposeListingRequest {
  @IsUUID()
  subjectId: string;

  @RequiredText(3, 2000, true)
  reason: string;

  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  incidentIds: string[];
}

export class ReviewListingRequest {
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @Text(2000, true) note?: string;
}

export class DelistRequest {
  @RequiredText(3, 2000, true)
  reason: string;
}

export class RenewListingRequest {
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  incidentIds: string[];

  @RequiredText(3, 2000, true)
  reason: string;
}

export class ListListingsQuery {
  @IsOptional()
  @IsEnum(ListingState)
  state?: ListingState;
}

export class ListFlagsQuery extends PageQuery {
  @IsOptional()
  @IsEnum(SerialFlagState)
  state?: SerialFlagState;
}

export class FlagTransitionRequest {
  @IsIn([SerialFlagState.Reviewed, SerialFlagState.CaseOpened, SerialFlagState.Dismissed])
  state: SerialFlagState;

  @Text(2000, true) note?: string;
}

export class FlagResponse {
  id: string;
  subjectId: string;
  state: SerialFlagState;
  incidentIds: string[];
  totalPence: number;
  crossingIncidentIds: string[];
  crossingTotalPence: number;
  overThresholdIncidentIds: string[];
  storeIds: string[];
  windowFrom: string;
  windowTo: string;
  thresholdApplies: boolean;
  legalConsequence: string;
  rule: SerialFlag['rule'];
  alertId: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
  updatedAt: string;

  static from(f: SerialFlag): FlagResponse {
    return {
      id: f.id,
      subjectId: f.subjectId,
      state: f.state,
      incidentIds: f.incidentIds,
      totalPence: Number(f.totalPence),
      crossingIncidentIds: f.crossingIncidentIds,
      crossingTotalPence: Number(f.crossingTotalPence),
      overThresholdIncidentIds: f.overThresholdIncidentIds,
      storeIds: f.storeIds,
      windowFrom: f.windowFrom.toISOString(),
      windowTo: f.windowTo.toISOString(),
      thresholdApplies: f.thresholdApplies,
      legalConsequence: f.legalConsequence,
      rule: f.rule,
      alertId: f.alertId,
      decidedBy: f.decidedBy,
      decidedAt: f.decidedAt?.toISOString() ?? null,
      decisionNote: f.decisionNote,
      createdAt: f.createdAt.toISOString(),
      updatedAt: f.updatedAt.toISOString(),
    };
  }
}

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

export class OffenderSettingsDto {
  /** each theft at or under this (pence) is a candidate; the window total must exceed it */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  thresholdPence: number;

  @IsInt()
  @Min(1)
  @Max(3650)
  windowDays: number;

  /** at least 2: aggregation needs two thefts */
  @IsInt()
  @Min(2)
  @Max(100)
  minIncidents: number;

  @IsInt()
  @Min(1)
  @Max(60)
  exclusionMonths: number;
}

export class LegalRuleResponse {
  id: string;
  jurisdiction: string;
  key: string;
  value: unknown;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  keyDate: string;
  source: string;
  adminSet: boolean;

  static from(r: LegalRule): LegalRuleResponse {
    return {
      id: r.id,
      jurisdiction: r.jurisdiction,
      key: r.key,
      value: r.value,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      keyDate: r.keyDate,
      source: r.source,
      adminSet: r.adminSet,
    };
  }
}
