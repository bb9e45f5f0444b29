import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io';
import type { AccessTokenService } from '@app/auth';
import type { SessionRepository } from '@app/identity';
import { ErrorCode } from '@app/errors';

type Next = (err?: Error) => void;

interface HandshakeAuth {
  token?: unknown;
  lastSeq?: unknown;
}

/**
 * Verifies `handshake.auth.token` (never a query string: proxies log URLs) and its session, on
 * every connection and reconnection, and reads `handshake.auth.lastSeq` (the last alert seq the
 * client saw). Unauthenticated sockets never connect.
 */
export function handshakeAuth(tokens: AccessTokenService, sessions: SessionRepository) {
  return (socket: Socket, next: Next): void => {
    const requestId = randomUUID();
    const refuse = (code: ErrorCode, message: string) => {
      const err = new Error(message) as Error & { data: unknown };
      err.data = { code, message, requestId };
      next(err);
    };
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const actor = tokens.verify(auth.token);
    if (!actor) {
      return refuse(ErrorCode.Unauthenticated, 'Please sign in again');
    }
    const lastSeq = auth.lastSeq ?? null;
    if (lastSeq !== null && !(Number.isSafeInteger(lastSeq) && (lastSeq as number) >= 0)) {
      return refuse(ErrorCode.ValidationFailed, 'lastSeq: must be a whole number, 0 or more');
    }
    sessions
      .isActive(actor)
      .then((active) => {
        if (!active) {
          return refuse(ErrorCode.Unauthenticated, 'Please sign in again');
        }
        socket.data = { actor, requestId, lastSeq: lastSeq as number | null };
        next();
      })
      .catch(() => refuse(ErrorCode.ServiceUnavailable, 'The radio is temporarily unavailable'));
  };
}
