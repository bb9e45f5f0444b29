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
import { IsHumanText } from '@app/errors';

export class CreateUserRequest {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsHumanText()
  displayName: string;

  @IsEnum(Role)
  role: Role;

  /** required for shopworkers and store managers */
  @IsOptional()
  @IsUUID()
  storeId?: string;

  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(1024)
  password: string;
}

/** A change of role, store or both; shop roles need a store, other roles have none. */
export class ChangeUserRequest {
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  /** null removes the store (for a move to a non-shop role) */
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsUUID()
  storeId?: string | null;
}

export class UserResponse {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  storeId: string | null;
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
