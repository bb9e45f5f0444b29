import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  type GalleryListing,
  ListingState,
  type Subject,
  type SubjectAggregate,
  type SubjectImage,
  type SubjectIncident,
  SubjectKind,
  type SubjectView,
  type Suggestion,
} from '@app/offenders';
import { IsHumanText } from '@app/errors';
import { AppearanceDto, AppearanceResponse } from '../../incidents/dto/appearance';
import { RefusesSpecialCategories } from '../../incidents/dto/refused-field';

import { RequiredText, Text } from '../../http/text-fields';

export class SubjectDescriptionDto extends AppearanceDto {
  @Text(500, true)
  usualClothing?: string;
  @Text(2000, true)
  notes?: string;
}

export class VehicleDto {
  @ApiProperty({ type: String })
  @IsString()
  @Matches(/^[A-Za-z0-9 ]{2,10}$/, { message: 'registration must be 2 to 10 letters or digits' })
  registration: string;
  @Text(50)
  make?: string;
  @Text(50)
  model?: string;
  @Text(30)
  colour?: string;
}

export class CreateSubjectRequest extends RefusesSpecialCategories {
  @ApiProperty({ enum: SubjectKind, enumName: 'SubjectKind' })
  @IsEnum(SubjectKind)
  kind: SubjectKind;

  /** required for a known subject */
  @ApiPropertyOptional({ type: String, nullable: true, description: 'required for a known subject' })
  @IsOptional()
  @RequiredText(1, 200)
  name?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @IsHumanText({ each: true })
  aliases?: string[];

  @ApiProperty({ type: () => SubjectDescriptionDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SubjectDescriptionDto)
  description: SubjectDescriptionDto;

  @ApiPropertyOptional({ type: () => [VehicleDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VehicleDto)
  vehicles?: VehicleDto[];

  /** under 18 (or otherwise vulnerable): listing needs a recorded special review */
  @ApiPropertyOptional({
    type: Boolean,
    description: 'under 18 (or otherwise vulnerable): listing needs a recorded special review',
  })
  @IsOptional()
  @IsBoolean()
  juvenile?: boolean;
}

/** PATCH: the create fields, each optional; the refused fields stay refused, even as null. */
export class UpdateSubjectRequest extends IntersectionType(
  PartialType(
    PickType(CreateSubjectRequest, [
      'kind',
      'name',
      'aliases',
      'description',
      'vehicles',
      'juvenile',
    ] as const),
  ),
  RefusesSpecialCategories,
) {}

export class SubjectDescriptionResponse extends AppearanceResponse {
  @ApiProperty({ type: String, nullable: true })
  usualClothing: string | null;
  @ApiProperty({ type: String, nullable: true })
  notes: string | null;
}

export class SubjectVehicleResponse {
  /** normalised: upper case, no spaces */
  @ApiProperty({ type: String, description: 'normalised: upper case, no spaces' })
  registration: string;
  @ApiProperty({ type: String, nullable: true })
  make: string | null;
  @ApiProperty({ type: String, nullable: true })
  model: string | null;
  @ApiProperty({ type: String, nullable: true })
  colour: string | null;
}

export class SubjectImageResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  sha256: string;
  @ApiProperty({ type: String, nullable: true })
  viewSha256: string | null;
  @ApiProperty({ type: String })
  mediaType: string;
  @ApiProperty({ type: Number })
  sizeBytes: number;
  @ApiProperty({ type: String })
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
  @ApiProperty({ type: Number })
  incidentCount: number;
  @ApiProperty({ type: Number })
  totalValuePence: number;
  @ApiProperty({ type: [String] })
  storeIds: string[];
  @ApiProperty({ type: String, nullable: true })
  firstSeenAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  lastSeenAt: string | null;
  @ApiProperty({ type: Boolean })
  violence: boolean;
  @ApiProperty({ type: Number })
  retailWorkerOffences: number;
  @ApiProperty({ type: Number })
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
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  galleryId: string;
  @ApiProperty({ type: String })
  subjectId: string;
  @ApiProperty({ enum: ListingState, enumName: 'ListingState' })
  state: ListingState;
  @ApiProperty({ type: String })
  reason: string;
  @ApiProperty({ type: [String] })
  incidentIds: string[];
  @ApiProperty({ type: String })
  proposedBy: string;
  @ApiProperty({ type: String, nullable: true })
  reviewedBy: string | null;
  @ApiProperty({ type: String, nullable: true })
  reviewedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  reviewNote: string | null;
  @ApiProperty({ type: String, nullable: true })
  listedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  expiresAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  renewedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  delistedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  delistReason: string | null;
  /** listed and unexpired at the time of the answer */
  @ApiProperty({ type: Boolean, description: 'listed and unexpired at the time of the answer' })
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
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ enum: SubjectKind, enumName: 'SubjectKind' })
  kind: SubjectKind;
  @ApiProperty({ type: String })
  reference: string;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
  @ApiProperty({ type: [String] })
  aliases: string[];
  @ApiProperty({ type: () => SubjectDescriptionResponse })
  description: SubjectDescriptionResponse;
  @ApiProperty({ type: () => [SubjectVehicleResponse] })
  vehicles: SubjectVehicleResponse[];
  @ApiProperty({ type: Boolean })
  juvenile: boolean;
  @ApiProperty({ type: String })
  createdAt: string;
  @ApiPropertyOptional({ type: () => AggregateResponse })
  aggregate?: AggregateResponse;
  @ApiPropertyOptional({ type: () => [SubjectImageResponse] })
  images?: SubjectImageResponse[];
  @ApiPropertyOptional({ type: () => [ListingResponse] })
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

/** A subject as a gallery shows it: with its current listing there. */
export class GallerySubjectResponse extends SubjectResponse {
  @ApiProperty({ type: () => ListingResponse })
  listing: ListingResponse;
}

export class LinkIncidentRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  incidentId: string;
  @Text(1000, true)
  note?: string;
}

export class UnlinkIncidentRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  incidentId: string;
  @RequiredText(3, 1000, true)
  reason: string;
}

export class LinkResponse {
  @ApiProperty({ type: String })
  incidentId: string;
  @ApiProperty({ type: String })
  subjectId: string;
  @ApiProperty({ type: String })
  linkedBy: string;
  @ApiProperty({ type: String, nullable: true })
  note: string | null;
  @ApiProperty({ type: String })
  occurredAt: string;
  @ApiProperty({ type: String })
  storeId: string;
  @ApiProperty({ type: Number })
  valuePence: number;
  @ApiProperty({ type: Boolean })
  theftShop: boolean;
  @ApiProperty({ type: Boolean })
  violence: boolean;
  @ApiProperty({ type: Boolean })
  retailWorkerOffence: boolean;
  @ApiProperty({ type: String })
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
  @ApiProperty({ type: String })
  incidentId: string;
  @ApiProperty({ type: String })
  occurredAt: string;
  @ApiProperty({ type: String })
  storeId: string;
  @ApiProperty({ type: [String] })
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
