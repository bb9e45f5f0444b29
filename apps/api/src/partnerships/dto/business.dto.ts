import { IsString, MaxLength, MinLength } from 'class-validator';
import type { MemberBusiness } from '@app/partnerships';
import { IsHumanText } from '@app/errors';

export class CreateBusinessRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  name: string;
}

export class BusinessResponse {
  id: string;
  name: string;
  createdAt: string;

  static from(b: MemberBusiness): BusinessResponse {
    return { id: b.id, name: b.name, createdAt: b.createdAt.toISOString() };
  }
}
