import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AccessTokenService, Role } from '@app/auth';
import { SessionRepository } from '@app/database';
import { log } from '@app/logging';
import { type ClientToServerEvents, rooms, type ServerToClientEvents, type SocketData } from '@app/realtime';
import { handshakeAuth } from './handshake-auth';

type RadioSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The radio channel: the server picks each socket's rooms from its verified actor. */
@WebSocketGateway()
export class RadioGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer()
  server: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionRepository,
  ) {}

  afterInit(server: Server): void {
    server.use(handshakeAuth(this.tokens, this.sessions));
  }

  async handleConnection(socket: RadioSocket): Promise<void> {
    const { actor, requestId } = socket.data;
    if (actor.role === Role.Analyst) {
      // Analysts see aggregates only; the radio carries people.
      socket.disconnect(true);
      return;
    }
    const joined = [rooms.partnership(actor.partnershipId), rooms.user(actor.id)];
    if (actor.storeId) {
      joined.push(rooms.store(actor.storeId));
    }
    await socket.join(joined);
    log().info({ socketId: socket.id, actorId: actor.id, requestId }, 'radio connect');
    const { sessionId: _s, ...visible } = actor;
    socket.emit('welcome', { actor: visible, rooms: joined });
  }

  handleDisconnect(socket: RadioSocket): void {
    log().info(
      { socketId: socket.id, actorId: socket.data?.actor?.id, requestId: socket.data?.requestId },
      'radio disconnect',
    );
  }
}
