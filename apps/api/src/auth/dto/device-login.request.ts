import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class DeviceLoginRequest {
  /** the credential shown once at enrolment */
  @ApiProperty({ type: String, description: 'the credential shown once at enrolment' })
  @IsString()
  @MaxLength(200)
  credential: string;
}
