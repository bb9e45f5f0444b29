import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ type: String })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ type: String })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}
