import type { Role } from './role';

/** Who is acting: a person with an account, or an enrolled till tablet. */
export interface Actor {
  kind: 'user' | 'device';
  /** user id or device id */
  id: string;
  partnershipId: string;
  role: Role;
  /** set for shop roles and devices */
  storeId: string | null;
  /** the session (refresh family) or device login the token belongs to */
  sessionId: string;
}

/**
 * The tenant boundary every repository call takes first. Built once by the auth guard from a
 * verified token; never from a request body.
 */
export interface TenantScope {
  partnershipId: string;
  actorId: string;
  actorKind: Actor['kind'];
  role: Role;
  storeId: string | null;
  requestId: string;
}

export function scopeOf(actor: Actor, requestId: string): TenantScope {
  return {
    partnershipId: actor.partnershipId,
    actorId: actor.id,
    actorKind: actor.kind,
    role: actor.role,
    storeId: actor.storeId,
    requestId,
  };
}
