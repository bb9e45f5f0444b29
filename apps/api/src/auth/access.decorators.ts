import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Actor, type Role, scopeOf, type TenantScope } from '@app/auth';
import type { ApiKeyPrincipal, HubRequest } from '../http/request';

export const ROLES_KEY = 'hub:roles';
export const PUBLIC_KEY = 'hub:public';

/** Roles allowed on a route. Routes without @Roles or @Public are refused (default deny). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * The route checks the session itself, in its first statement (the idempotent POSTs' claim), so the
 * guard checks only the token: one round trip less, and a revoked session still writes nothing.
 */
export const SESSION_CHECKED_BY_ROUTE_KEY = 'hub:session-checked-by-route';

/** A route anyone may call (login, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The tenant scope built from the verified token. */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const req = ctx.switchToHttp().getRequest<HubRequest>();
  if (!req.actor) {
    throw new Error('Scope used on a public route');
  }
  return scopeOf(req.actor, String(req.id));
});

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<HubRequest>();
  if (!req.actor) {
    throw new Error('CurrentActor used on a public route');
  }
  return req.actor;
});

export const API_KEY_KEY = 'hub:api-key';

/** The route also accepts `Authorization: ApiKey <secret>` (statistics routes only). */
export const AcceptsApiKey = () => SetMetadata(API_KEY_KEY, true);

/** Resolves an API key secret to its principal; provided by the module that owns the keys. */
export interface ApiKeyVerifier {
  verify(secret: string): Promise<ApiKeyPrincipal | null>;
}
export const API_KEY_VERIFIER = Symbol('API_KEY_VERIFIER');
