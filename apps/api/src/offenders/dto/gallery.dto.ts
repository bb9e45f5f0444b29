import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { Role, ROLES } from '@app/auth';
import { type Gallery, ListingState } from '@app/offenders';

import { PageQuery } from '../../http/page.query';
import { RequiredText, Text } from '../../http/text-fields';

export class CreateGalleryRequest {
  @RequiredText(1, 100)
  name: string;
  @Text(500, true)
  purpose?: string;

  /** how long a listing lasts unless renewed with new incidents */
  @ApiProperty({ type: Number, description: 'how long a listing lasts unless renewed with new incidents' })
  @IsInt()
  @Min(1)
  @Max(730)
  defaultListingDays: number;

  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES.members, { each: true })
  audienceRoles: Role[];
}

export class GalleryResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ type: String, nullable: true })
  purpose: string | null;
  @ApiProperty({ type: Number })
  defaultListingDays: number;
  @ApiProperty({ type: [String] })
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
  @ApiProperty({ type: String })
  @IsUUID()
  subjectId: string;
  @RequiredText(3, 2000, true)
  reason: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  incidentIds: string[];
}

export class ReviewListingRequest {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';
  @Text(2000, true)
  note?: string;
}

export class DelistRequest {
  @RequiredText(3, 2000, true)
  reason: string;
}

export class RenewListingRequest {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true })
  incidentIds: string[];
  @RequiredText(3, 2000, true)
  reason: string;
}

export class ListListingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ListingState, enumName: 'ListingState' })
  @IsOptional()
  @IsEnum(ListingState)
  state?: ListingState;
}
