import { type DataSource, IsNull } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@app/auth';
import { rooms } from '@app/realtime';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { closeRadioSockets, namedQuery, TenantDb } from '@app/database';

export type RotateResult =
  | { outcome: 'rotated'; sessionId: string; userId: string; newTokenId: string }
  | { outcome: 'reused' | 'invalid' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The arguments of `session_is_active` for a token's claims, or null when one is malformed (claims
 * are signed, not validated: a non-uuid would make PostgreSQL raise, not refuse).
 */
export function sessionCheckArgs(actor: Actor): unknown[] | null {
  const ids = [actor.partnershipId, actor.sessionId, actor.id, actor.storeId ?? NIL_UUID];
  if (!ids.every((id) => UUID.test(id))) {
    return null;
  }
  return [actor.partnershipId, actor.sessionId, actor.kind, actor.id, actor.role, actor.storeId];
}

/** Sessions and their refresh-token families (RFC 9700 rotation with reuse detection). */
@Injectable()
export class SessionRepository {
  constructor(
    private readonly db: TenantDb,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  startUserSession(
    partnershipId: string,
    userId: string,
    tokenId: string,
    tokenHash: string,
    ttlMs: number,
  ): Promise<string> {
    return this.db.run({ partnershipId }, async (em) => {
      const expiresAt = new Date(Date.now() + ttlMs);
      const { identifiers } = await em.insert(Session, { partnershipId, userId, expiresAt });
      const sessionId = identifiers[0].id as string;
      await em.insert(RefreshToken, { id: tokenId, partnershipId, sessionId, tokenHash, expiresAt });
      return sessionId;
    });
  }

  startDeviceSession(partnershipId: string, deviceId: string, ttlMs: number): Promise<string> {
    return this.db.run({ partnershipId }, async (em) => {
      const { identifiers } = await em.insert(Session, {
        partnershipId,
        deviceId,
        expiresAt: new Date(Date.now() + ttlMs),
      });
      await em.query(`UPDATE devices SET last_seen_at = now() WHERE id = $1`, [deviceId]);
      return identifiers[0].id as string;
    });
  }

  /**
   * Uses a refresh token once. Presenting an already-used token revokes its whole session, and
   * that revocation commits even though the caller is refused.
   */
  rotate(
    partnershipId: string,
    tokenId: string,
    tokenHash: string,
    newTokenId: string,
    newTokenHash: string,
  ): Promise<RotateResult> {
    return this.db.run({ partnershipId }, async (em) => {
      const token = await em
        .createQueryBuilder(RefreshToken, 't')
        .setLock('pessimistic_write')
        .where('t.id = :tokenId AND t.token_hash = :tokenHash', { tokenId, tokenHash })
        .getOne();
      if (!token) {
        return { outcome: 'invalid' };
      }
      const session = await em.findOneBy(Session, { id: token.sessionId });
      if (!session || session.revokedAt || session.expiresAt < new Date() || !session.userId) {
        return { outcome: 'invalid' };
      }
      if (token.usedAt) {
        await em.update(
          Session,
          { id: session.id },
          { revokedAt: new Date(), revokedReason: 'refresh token reuse' },
        );
        await closeRadioSockets(em, partnershipId, [rooms.session(session.id)]);
        return { outcome: 'reused' };
      }
      await em.update(RefreshToken, { id: token.id }, { usedAt: new Date() });
      await em.insert(RefreshToken, {
        id: newTokenId,
        partnershipId,
        sessionId: session.id,
        tokenHash: newTokenHash,
        expiresAt: session.expiresAt,
      });
      return { outcome: 'rotated', sessionId: session.id, userId: session.userId, newTokenId };
    });
  }

  /**
   * Asked on every request and socket handshake (the idempotent POSTs ask in their claim instead):
   * one round trip (see the SessionMatchesToken migration). Every claim of the token is checked
   * against the session row, not only its id.
   */
  async isActive(actor: Actor): Promise<boolean> {
    const args = sessionCheckArgs(actor);
    if (!args) {
      return false;
    }
    const rows = await namedQuery<{ active: boolean }>(
      this.dataSource,
      `SELECT session_is_active($1, $2, $3, $4, $5, $6) AS active`,
      args,
    );
    return rows[0]?.active === true;
  }

  revoke(partnershipId: string, sessionId: string, reason: string): Promise<void> {
    return this.db.run({ partnershipId }, async (em) => {
      await em.update(
        Session,
        { id: sessionId, revokedAt: IsNull() },
        { revokedAt: new Date(), revokedReason: reason },
      );
      await closeRadioSockets(em, partnershipId, [rooms.session(sessionId)]);
    });
  }
}
