import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, ALL_ROLES } from '@app/auth';
import { AppConfig } from '@app/config';
import type { HubRequest } from '../http/request';
import { CurrentActor, Public, Roles } from './access.decorators';
import { AuthService } from './auth.service';
import { DeviceLoginRequest } from './dto/device-login.request';
import { LoginRequest } from './dto/login.request';
import { RefreshRequest } from './dto/refresh.request';
import { ActorSummaryResponse, TokenResponse } from './dto/token.response';
import { ApiErrors } from '../http/openapi';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors(400, 401, 429)
  login(@Body() body: LoginRequest, @Req() req: HubRequest): Promise<TokenResponse> {
    // S7's negative control keys the login limiter on the client's own X-Forwarded-For header
    // (TEST_DEFECTS=login-limiter-keyed-on-forwarded-header, tests only)
    const forwarded = this.config.testDefects.has('login-limiter-keyed-on-forwarded-header')
      ? String(req.headers['x-forwarded-for'] ?? '')
          .split(',')[0]
          .trim()
      : '';
    return this.auth.login(body.email, body.password, forwarded || req.ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors(400, 401)
  refresh(@Body() body: RefreshRequest): Promise<TokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('device')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors(400, 401)
  device(@Body() body: DeviceLoginRequest): Promise<TokenResponse> {
    return this.auth.deviceLogin(body.credential);
  }

  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors(401, 403)
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @Get('me')
  @ApiErrors(401, 403)
  @ApiOkResponse({ type: ActorSummaryResponse })
  me(@CurrentActor() actor: Actor): Omit<Actor, 'sessionId'> {
    const { sessionId: _session, ...rest } = actor;
    return rest;
  }
}
