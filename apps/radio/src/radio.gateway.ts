import { randomUUID } from 'node:crypto';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AccessTokenService, type Actor, isShopRole, Role, ROLES } from '@app/auth';
import { AppConfig } from '@app/config';
import { SessionRepository } from '@app/identity';
import { DomainError, ErrorCode } from '@app/errors';
import { log } from '@app/logging';
import {
  ALERT_EVENT,
  type ClientToServerEvents,
  type ReplayBatch,
  type PresencePayload,
  rooms,
  type ServerToClientEvents,
  type SocketData,
  type SocketResult,
} from '@app/realtime';
import { handshakeAuth } from './handshake-auth';
import { RadioMetrics } from './radio-metrics';
import { ReplayService } from './replay.service';
import { SocketRateLimiter } from './socket-rate-limiter';

type RadioServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type RadioSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Staff hear every alert of their partnership; stores hear their channel, store and talk groups. */
export function roomsFor(actor: Actor): string[] {
  const joined = [
    rooms.partnership(actor.partnershipId),
    rooms.user(actor.id),
    rooms.session(actor.sessionId),
  ];
  if (actor.kind === 'user' && ROLES.partnershipStaff.includes(actor.role)) {
    joined.push(rooms.staff(actor.partnershipId));
  }
  if (actor.storeId) {
    joined.push(rooms.store(actor.storeId));
  }
  return joined;
}

/**
 * The radio channel: the server picks each socket's rooms from its verified actor, replays what
 * the client missed, then the Redis adapter delivers live alerts published by the outbox relay.
 */
@WebSocketGateway()
export class RadioGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown
{
  @WebSocketServer()
  server: RadioServer;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionRepository,
    private readonly replays: ReplayService,
    private readonly limiter: SocketRateLimiter,
    private readonly metrics: RadioMetrics,
    private readonly config: AppConfig,
  ) {}

  afterInit(server: Server): void {
    server.use(handshakeAuth(this.tokens, this.sessions));
    this.metrics.countSocketsWith(() => server.sockets.sockets.size);
  }

  async handleConnection(socket: RadioSocket): Promise<void> {
    const { actor, requestId, lastSeq } = socket.data;
    if (actor.role === Role.Analyst) {
      // Analysts see aggregates only; the radio carries people.
      socket.disconnect(true);
      return;
    }
    this.listen(socket);
    // every alert this socket is sent: live ones from the Redis adapter, and the replay at connect
    socket.onAnyOutgoing((event: string, payload: unknown) => {
      if (event === ALERT_EVENT) {
        this.metrics.alertsEmitted.inc({ source: 'live' });
      } else if (event === 'replay') {
        this.metrics.alertsEmitted.inc({ source: 'replay' }, (payload as ReplayBatch).alerts.length);
      }
    });
    const joined = roomsFor(actor);
    // Join before reading the replay: an alert committed meanwhile arrives live, in the replay,
    // or both (the client drops duplicates by id), never neither.
    await socket.join(joined);
    log().info({ socketId: socket.id, actorId: actor.id, requestId }, 'radio connect');
    const { sessionId: _s, ...visible } = actor;
    socket.emit('welcome', { actor: visible, rooms: joined });
    try {
      socket.emit('replay', await this.replays.replay(actor, requestId, lastSeq));
    } catch (err) {
      log().warn({ err, socketId: socket.id, requestId }, 'radio replay failed');
      if (!this.config.radio.replayCoalesce) {
        // the old behaviour (a control): the client reconnects and asks again
        socket.disconnect(true);
        return;
      }
      // Queued and tried again already, so the database is struggling: an empty page with `more`
      // makes the client ask for the replay itself (it waits and retries SERVICE_UNAVAILABLE);
      // a disconnect would only bring the socket back into the storm.
      socket.emit('replay', { alerts: [], more: true });
    }
  }

  handleDisconnect(socket: RadioSocket): void {
    log().info(
      { socketId: socket.id, actorId: socket.data?.actor?.id, requestId: socket.data?.requestId },
      'radio disconnect',
    );
  }

  /** Graceful stop: hand this instance's clients to another one (local sockets only). */
  beforeApplicationShutdown(): void {
    this.server?.local.disconnectSockets(true);
  }

  private listen(socket: RadioSocket): void {
    const { actor } = socket.data;
    socket.on('ack', (req, done) =>
      this.answer(socket, done, async (requestId) => {
        const alertId = (req as { alertId?: unknown } | null)?.alertId;
        if (typeof alertId !== 'string' || !UUID.test(alertId)) {
          throw DomainError.invalid('alertId', 'must be a UUID');
        }
        const outcome = await this.replays.acknowledge(actor, requestId, alertId.toLowerCase());
        if (!outcome.alert || !outcome.ack) {
          throw DomainError.notFound('Alert');
        }
        if (outcome.recorded) {
          const to = [rooms.staff(actor.partnershipId)];
          if (outcome.alert.senderKind === 'user' && outcome.alert.senderId) {
            to.push(rooms.user(outcome.alert.senderId));
          } else if (outcome.alert.senderStoreId) {
            to.push(rooms.store(outcome.alert.senderStoreId));
          }
          this.server.to(to).emit('alert:acked', {
            alertId: outcome.alert.id,
            seq: Number(outcome.alert.seq),
            actorId: outcome.ack.actorId,
            actorKind: outcome.ack.actorKind,
            storeId: outcome.ack.storeId,
            at: outcome.ack.createdAt.toISOString(),
          });
        }
        return { alertId: outcome.alert.id, recorded: outcome.recorded };
      }),
    );
    socket.on('replay', (req, done) =>
      this.answer(socket, done, (requestId) => {
        const afterSeq = (req as { afterSeq?: unknown } | null)?.afterSeq ?? null;
        if (afterSeq !== null && !(Number.isSafeInteger(afterSeq) && (afterSeq as number) >= 0)) {
          throw DomainError.invalid('afterSeq', 'must be a whole number, 0 or more, or null');
        }
        return this.replays.replay(actor, requestId, afterSeq as number | null).then((batch) => {
          this.metrics.alertsEmitted.inc({ source: 'replay' }, batch.alerts.length);
          return batch;
        });
      }),
    );
    socket.on('presence', (done) =>
      this.answer(socket, done, () => {
        if (!ROLES.partnershipStaff.includes(actor.role) || actor.kind !== 'user') {
          throw DomainError.forbidden('Only coordinators see who is on the channel');
        }
        return this.presence(actor.partnershipId);
      }),
    );
  }

  /** Which stores have a connected client now, across every instance (asked on demand). */
  private async presence(partnershipId: string): Promise<PresencePayload> {
    const sockets = await this.server.in(rooms.partnership(partnershipId)).fetchSockets();
    const counts = new Map<string, number>();
    for (const s of sockets) {
      const a = s.data.actor;
      if (a.storeId && (a.kind === 'device' || isShopRole(a.role))) {
        counts.set(a.storeId, (counts.get(a.storeId) ?? 0) + 1);
      }
    }
    return {
      stores: [...counts].map(([storeId, connections]) => ({ storeId, connections })),
      connections: sockets.length,
    };
  }

  /** Runs a client request under the rate limit and answers in the one socket result shape. */
  private answer<T>(socket: RadioSocket, done: unknown, work: (requestId: string) => T | Promise<T>): void {
    if (typeof done !== 'function') {
      return;
    }
    const reply = done as (res: SocketResult<T>) => void;
    const requestId = randomUUID();
    this.limiter
      .consume(socket.data.actor.id)
      .then(() => work(requestId))
      .then(
        (data) => reply({ ok: true, data }),
        (err: unknown) => {
          if (err instanceof DomainError) {
            reply({ ok: false, error: { code: err.code, message: err.message, requestId } });
            return;
          }
          log().error({ err, socketId: socket.id, requestId }, 'radio request failed');
          reply({
            ok: false,
            error: { code: ErrorCode.Internal, message: 'Something went wrong', requestId },
          });
        },
      );
  }
}
