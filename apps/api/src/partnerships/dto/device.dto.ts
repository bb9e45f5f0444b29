import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { Device } from '@app/identity';
import { IsHumanText } from '@app/errors';

export class EnrolDeviceRequest {
  @IsUUID()
  storeId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsHumanText()
  name: string;
}

export class DeviceResponse {
  id: string;
  storeId: string;
  name: string;
  revoked: boolean;
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
  credential: string;
}
