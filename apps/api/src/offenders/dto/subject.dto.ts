import { IntersectionType, PartialType, PickType } from '@nestjs/swagger';
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
import { RefusesSpecialCategories } from '../../incidents/dto/refused-field';

import { RequiredText, Text } from './text-fields';

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

/** PATCH: the create fields, each optional; the refused fields stay refused, even as null. */
export class UpdateSubjectRequest extends IntersectionType(
  PartialType(
    PickType(CreateSubjectRequest, ['kind', 'name', 'aliases', 'description', 'vehicles', 'juvenile'] as const),
  ),
  RefusesSpecialCategories,
) {}

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
