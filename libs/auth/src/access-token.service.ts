import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import type { Actor } from './actor';
import { ALL_ROLES, type Role } from './role';

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

  /** The actor a token names, or null for any bad, expired or forged token. */
  verify(token: unknown): Actor | null {
    if (typeof token !== 'string' || token.length > 4096) {
      return null;
    }
    try {
      const c = this.jwt.verify<AccessClaims>(token);
      if (!ALL_ROLES.includes(c.rol) || (c.knd !== 'user' && c.knd !== 'device')) {
        return null;
      }
      return {
        kind: c.knd,
        id: c.sub,
        partnershipId: c.pid,
        role: c.rol,
        sessionId: c.sid,
        storeId: c.str ?? null,
      };
    } catch {
      return null;
    }
  }
}
