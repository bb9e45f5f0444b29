import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsLatitude, IsLongitude, IsOptional, IsUUID, Matches, MinLength, ValidateIf } from 'class-validator';
import type { Store } from '@app/partnerships';

import { PageQuery } from '../../http/page.query';
import { RequiredText, Text } from '../../http/text-fields';

export class CreateStoreRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  businessId: string;

  @RequiredText(1, 200)
  name: string;

  @RequiredText(1, 300)
  site: string;

  @ApiProperty({ type: String })
  @Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i, { message: 'postcode must be a UK postcode' })
  postcode: string;

  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @IsLatitude()
  latitude?: number;

  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @IsLongitude()
  longitude?: number;
}

/** A change of a store's details; what is left out stays as it is. */
export class UpdateStoreRequest {
  @Text(200)
  @MinLength(1)
  name?: string;

  @Text(300)
  @MinLength(1)
  site?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i, { message: 'postcode must be a UK postcode' })
  postcode?: string;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsLatitude()
  latitude?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsLongitude()
  longitude?: number | null;
}

export class ListStoresQuery extends PageQuery {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  businessId?: string;
}

export class StoreResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  businessId: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ type: String })
  site: string;
  @ApiProperty({ type: String })
  postcode: string;
  @ApiProperty({ type: Number, nullable: true })
  latitude: number | null;
  @ApiProperty({ type: Number, nullable: true })
  longitude: number | null;

  static from(s: Store): StoreResponse {
    return {
      id: s.id,
      businessId: s.businessId,
      name: s.name,
      site: s.site,
      postcode: s.postcode,
      latitude: s.latitude,
      longitude: s.longitude,
    };
  }
}
