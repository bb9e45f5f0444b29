import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsEnum,
  IsOptional,
  ValidateIf,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Role } from '@app/auth';
import type { User } from '@app/identity';

import { RequiredText } from '../../http/text-fields';

export class CreateUserRequest {
  @ApiProperty({ type: String })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @RequiredText(1, 120)
  displayName: string;

  @ApiProperty({ enum: Role, enumName: 'Role' })
  @IsEnum(Role)
  role: Role;

  /** required for shopworkers and store managers */
  @ApiPropertyOptional({ type: String, description: 'required for shopworkers and store managers' })
  @IsOptional()
  @IsUUID()
  storeId?: string;

  /** omitted: the hub makes one and returns it once (an invitation) */
  @ApiPropertyOptional({ type: String, description: 'omitted: the hub makes one and returns it once' })
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(1024)
  password?: string;
}

/** A change of role, store or both; shop roles need a store, other roles have none. */
export class ChangeUserRequest {
  @ApiPropertyOptional({ enum: Role, enumName: 'Role' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  /** null removes the store (for a move to a non-shop role) */
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'null removes the store (for a move to a non-shop role)',
  })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsUUID()
  storeId?: string | null;
}

export class UserResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  email: string;
  @ApiProperty({ type: String })
  displayName: string;
  @ApiProperty({ enum: Role, enumName: 'Role' })
  role: Role;
  @ApiProperty({ type: String, nullable: true })
  storeId: string | null;
  @ApiProperty({ type: Boolean })
  disabled: boolean;

  static from(u: User): UserResponse {
    return {
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      storeId: u.storeId,
      disabled: !!u.disabledAt,
    };
  }
}

/** An officer a case can be assigned to: no email, no store, only who they are. */
export class OfficerResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  displayName: string;

  static from(u: User): OfficerResponse {
    return { id: u.id, displayName: u.displayName };
  }
}

/** A new account; `initialPassword` is the one the hub made (shown once, never stored in clear). */
export class CreatedUserResponse extends UserResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'made by the hub when no password was given: shown once, only its hash is stored',
  })
  initialPassword: string | null;
}
