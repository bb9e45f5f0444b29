import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Device } from '@app/identity';

import { RequiredText } from '../../http/text-fields';

export class EnrolDeviceRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  storeId: string;

  @RequiredText(1, 120)
  name: string;
}

export class DeviceResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  storeId: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ type: Boolean })
  revoked: boolean;
  @ApiProperty({ type: String, nullable: true })
  lastSeenAt: string | null;

  static from(d: Device): DeviceResponse {
    return {
      id: d.id,
      storeId: d.storeId,
      name: d.name,
      revoked: !!d.revokedAt,
      lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    };
  }
}

export class EnrolledDeviceResponse extends DeviceResponse {
  /** shown once: the tablet stores it and signs in with POST /auth/device */
  @ApiProperty({
    type: String,
    description: 'shown once: the tablet stores it and signs in with POST /auth/device',
  })
  credential: string;
}
