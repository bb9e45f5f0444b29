import { ApiProperty } from '@nestjs/swagger';
import type { MemberBusiness } from '@app/partnerships';

import { RequiredText } from '../../http/text-fields';

export class CreateBusinessRequest {
  @RequiredText(1, 200)
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

export class UpdateBusinessRequest {
  @RequiredText(1, 200)
  name: string;
}
