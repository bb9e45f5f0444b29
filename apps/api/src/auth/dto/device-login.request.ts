import { IsString, MaxLength } from 'class-validator';

export class DeviceLoginRequest {
  /** the credential shown once at enrolment */
  @IsString()
  @MaxLength(200)
  credential: string;
}
