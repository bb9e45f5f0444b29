import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AccessTokenService,
  type Actor,
  formatCredential,
  newSecret,
  parseCredential,
  PasswordHasher,
  Role,
  safeEqualHex,
  sha256Hex,
} from '@app/auth';
import { AppConfig } from '@app/config';
import { DeviceRepository, SessionRepository, type User, UserRepository } from '@app/identity';
import { DomainError, ErrorCode } from '@app/errors';
import type { TokenResponse } from './dto/token.response';
import { LoginRateLimiter } from './login-rate-limiter';

const badLogin = () => new DomainError(ErrorCode.Unauthenticated, 'Email or password is not right');

@Injectable()
export class AuthService {
  /** verified against when the account does not exist, so timing does not reveal accounts */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly devices: DeviceRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
    private readonly limiter: LoginRateLimiter,
    private readonly config: AppConfig,
  ) {
    this.decoyHash = hasher.hash(newSecret());
  }

  private get sessionTtlMs(): number {
    return this.config.auth.refreshTtlDays * 86_400_000;
  }

  async login(email: string, password: string, ip: string): Promise<TokenResponse> {
    await this.limiter.consume(ip, email);
    const user = await this.users.findForLogin(email);
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.decoyHash), password);
    if (!user || !ok || user.disabledAt) {
      throw badLogin();
    }
    await this.limiter.reset(ip, email);
    const tokenId = randomUUID();
    const secret = newSecret();
    const sessionId = await this.sessions.startUserSession(
      user.partnershipId,
      user.id,
      tokenId,
      sha256Hex(secret),
      this.sessionTtlMs,
    );
    return this.issue(
      userActor(user, sessionId),
      formatCredential({ partnershipId: user.partnershipId, id: tokenId, secret }),
    );
  }

  async refresh(refreshToken: string): Promise<TokenResponse> {
    const cred = parseCredential(refreshToken);
    if (!cred) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Please sign in again');
    }
    const newId = randomUUID();
    const newSecretValue = newSecret();
    const result = await this.sessions.rotate(
      cred.partnershipId,
      cred.id,
      sha256Hex(cred.secret),
      newId,
      sha256Hex(newSecretValue),
    );
    if (result.outcome === 'reused') {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'This sign-in was used twice, so it has been ended; please sign in again',
      );
    }
    if (result.outcome !== 'rotated') {
      throw new DomainError(ErrorCode.Unauthenticated, 'Please sign in again');
    }
    const user = await this.users.findActive(cred.partnershipId, result.userId);
    if (!user) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Please sign in again');
    }
    return this.issue(
      userActor(user, result.sessionId),
      formatCredential({ partnershipId: cred.partnershipId, id: newId, secret: newSecretValue }),
    );
  }

  async deviceLogin(credential: string): Promise<TokenResponse> {
    const cred = parseCredential(credential);
    const refused = () =>
      new DomainError(ErrorCode.Unauthenticated, 'This tablet is not enrolled; ask your store manager');
    if (!cred) {
      throw refused();
    }
    const device = await this.devices.findForLogin(cred.partnershipId, cred.id);
    if (!device || device.revokedAt || !safeEqualHex(device.secretHash, sha256Hex(cred.secret))) {
      throw refused();
    }
    const sessionId = await this.sessions.startDeviceSession(
      device.partnershipId,
      device.id,
      this.sessionTtlMs,
    );
    return this.issue({
      kind: 'device',
      id: device.id,
      partnershipId: device.partnershipId,
      role: Role.Shopworker,
      storeId: device.storeId,
      sessionId,
    });
  }

  logout(actor: Actor): Promise<void> {
    return this.sessions.revoke(actor.partnershipId, actor.sessionId, 'logout');
  }

  private issue(actor: Actor, refreshToken?: string): TokenResponse {
    return {
      tokenType: 'Bearer',
      accessToken: this.tokens.sign(actor),
      expiresIn: this.tokens.ttlSeconds,
      ...(refreshToken ? { refreshToken } : {}),
      actor: {
        kind: actor.kind,
        id: actor.id,
        partnershipId: actor.partnershipId,
        role: actor.role,
        storeId: actor.storeId,
      },
    };
  }
}

function userActor(user: Pick<User, 'id' | 'partnershipId' | 'role' | 'storeId'>, sessionId: string): Actor {
  return {
    kind: 'user',
    id: user.id,
    partnershipId: user.partnershipId,
    role: user.role,
    storeId: user.storeId,
    sessionId,
  };
}
