import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io';
import type { AccessTokenService } from '@app/auth';
import type { SessionRepository } from '@app/database';
import { ErrorCode } from '@app/errors';

type Next = (err?: Error) => void;

/**
 * Verifies `handshake.auth.token` (never a query string: proxies log URLs) and its session, on
 * every connection and reconnection. Unauthenticated sockets never connect.
 */
export function handshakeAuth(tokens: AccessTokenService, sessions: SessionRepository) {
  return (socket: Socket, next: Next): void => {
    const requestId = randomUUID();
    const refuse = (message: string) => {
      const err = new Error(message) as Error & { data: unknown };
      err.data = { code: ErrorCode.Unauthenticated, message, requestId };
      next(err);
    };
    const actor = tokens.verify((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!actor) {
      return refuse('Please sign in again');
    }
    sessions
      .isActive(actor.partnershipId, actor.sessionId)
      .then((active) => {
        if (!active) {
          return refuse('Please sign in again');
        }
        socket.data = { actor, requestId };
        next();
      })
      .catch(() => refuse('The radio is temporarily unavailable'));
  };
}
