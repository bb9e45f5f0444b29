import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokenService, PasswordHasher } from '@app/auth';
import { DeviceRepository, SessionRepository, UserRepository } from '@app/database';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';

@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    LoginRateLimiter,
    AccessTokenService,
    PasswordHasher,
    SessionRepository,
    UserRepository,
    DeviceRepository,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PasswordHasher, AccessTokenService],
})
export class AuthModule {}
