import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import type { Actor } from './actor';
import { ALL_ROLES, type Role } from './role';

/** Verified tokens kept; a tablet or a browser presents the same token on every request. */
const VERIFIED_CACHE_SIZE = 10_000;

interface AccessClaims {
  sub: string;
  knd: Actor['kind'];
  pid: string;
  rol: Role;
  sid: string;
  str: string | null;
}

/** Short-lived HS256 access JWTs. Verification pins the algorithm, so `alg: none` never passes. */
@Injectable()
export class AccessTokenService {
  private readonly jwt: JwtService;
  /** token -> its actor and expiry (ms): the signature is checked once per token, the expiry every time */
  private readonly verified = new Map<string, { actor: Actor; expiresAt: number }>();

  constructor(private readonly config: AppConfig) {
    // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
    // public key on every call, which cost over a millisecond per request.
    const key = createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8'));
    this.jwt = new JwtService({
      secretOrKeyProvider: () => key,
      signOptions: { algorithm: 'HS256', expiresIn: config.auth.accessTtlSeconds, issuer: 'hub' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'hub' },
    });
  }

  get ttlSeconds(): number {
    return this.config.auth.accessTtlSeconds;
  }

  sign(actor: Actor): string {
    const claims: AccessClaims = {
      sub: actor.id,
      knd: actor.kind,
      pid: actor.partnershipId,
      rol: actor.role,
      sid: actor.sessionId,
      str: actor.storeId,
    };
    return this.jwt.sign(claims);
  }

  /**
   * The actor a token names, or null for any bad, expired or forged token. A token verified before
   * is answered from memory until it expires (revocation is the session check's job, per request).
   */
  verify(token: unknown): Actor | null {
    if (typeof token !== 'string' || token.length > 4096) {
      return null;
    }
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) {
        return known.actor;
      }
      this.verified.delete(token);
    }
    const actor = this.check(token);
    if (actor) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) {
        this.verified.delete(this.verified.keys().next().value!);
      }
      this.verified.set(token, actor);
    }
    return actor?.actor ?? null;
  }

  private check(token: string): { actor: Actor; expiresAt: number } | null {
    try {
      const c = this.jwt.verify<AccessClaims & { exp: number }>(token);
      if (!ALL_ROLES.includes(c.rol) || (c.knd !== 'user' && c.knd !== 'device')) {
        return null;
      }
      return {
        // shared by every request that presents the token
        actor: Object.freeze({
          kind: c.knd,
          id: c.sub,
          partnershipId: c.pid,
          role: c.rol,
          sessionId: c.sid,
          storeId: c.str ?? null,
        }),
        expiresAt: c.exp * 1000,
      };
    } catch {
      return null;
    }
  }
}
