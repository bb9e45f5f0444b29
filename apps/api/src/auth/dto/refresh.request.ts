import { IsString, MaxLength } from 'class-validator';

export class RefreshRequest {
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}
