import {
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { Store } from '@app/partnerships';
import { IsHumanText } from '@app/errors';
import { PageQuery } from '../../http/page.query';

export class CreateStoreRequest {
  @IsUUID()
  businessId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  name: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @IsHumanText()
  site: string;

  @Matches(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i, { message: 'postcode must be a UK postcode' })
  postcode: string;

  @IsOptional()
  @IsLatitude()
  latitude?: number;

  @IsOptional()
  @IsLongitude()
  longitude?: number;
}

export class ListStoresQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  businessId?: string;
}

export class StoreResponse {
  id: string;
  businessId: string;
  name: string;
  site: string;
  postcode: string;
  latitude: number | null;
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
