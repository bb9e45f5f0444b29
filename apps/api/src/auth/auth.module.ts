import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokenService, PasswordHasher } from '@app/auth';
import { IdentityModule } from '@app/identity';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';

@Module({
  imports: [IdentityModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    LoginRateLimiter,
    AccessTokenService,
    PasswordHasher,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PasswordHasher, AccessTokenService],
})
export class AuthApiModule {}
