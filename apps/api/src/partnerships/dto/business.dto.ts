import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { MemberBusiness } from '@app/partnerships';
import { IsHumanText } from '@app/errors';

export class CreateBusinessRequest {
  @ApiProperty({ type: String })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  name: string;
}

export class BusinessResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ type: String })
  createdAt: string;

  static from(b: MemberBusiness): BusinessResponse {
    return { id: b.id, name: b.name, createdAt: b.createdAt.toISOString() };
  }
}
