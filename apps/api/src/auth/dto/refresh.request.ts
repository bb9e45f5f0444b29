import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class RefreshRequest {
  @ApiProperty({ type: String })
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}
