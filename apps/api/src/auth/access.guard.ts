import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { AccessTokenService, type Role } from '@app/auth';
import { AppConfig } from '@app/config';
import { SessionRepository, sessionCheckArgs } from '@app/identity';
import { DomainError, ErrorCode } from '@app/errors';
import { RequestContext } from '@app/logging';
import type { HubRequest } from '../http/request';
import {
  API_KEY_KEY,
  API_KEY_VERIFIER,
  type ApiKeyVerifier,
  PUBLIC_KEY,
  ROLES_KEY,
  SESSION_CHECKED_BY_ROUTE_KEY,
} from './access.decorators';

/**
 * Global guard: verifies the bearer token and its session (so logout and revocation take effect at
 * once; the idempotent POSTs check the session in their claim), then checks the route's roles. Tenant checks live in repositories and RLS.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionRepository,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const req = ctx.switchToHttp().getRequest<HubRequest>();
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('ApiKey ')) {
      // accepted only where the route says so (the statistics routes); elsewhere it is no token
      if (this.reflector.getAllAndOverride<boolean>(API_KEY_KEY, targets)) {
        const verifier = this.moduleRef.get<ApiKeyVerifier>(API_KEY_VERIFIER, { strict: false });
        const principal = await verifier.verify(header.slice(7).trim());
        if (!principal) {
          throw new DomainError(ErrorCode.Unauthenticated, 'Unknown or revoked API key');
        }
        req.apiKey = principal;
        return true;
      }
    }
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const actor = this.tokens.verify(token);
    const checkedByRoute = this.reflector.get<boolean>(SESSION_CHECKED_BY_ROUTE_KEY, ctx.getHandler());
    if (!actor || !(checkedByRoute ? sessionCheckArgs(actor) : await this.sessions.isActive(actor))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Please sign in again');
    }
    req.actor = actor;
    RequestContext.assign({ actorId: actor.id, partnershipId: actor.partnershipId });
    if (this.config.auth.guardDisabledForTest) {
      return true;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.includes(actor.role)) {
      throw DomainError.forbidden();
    }
    return true;
  }
}
