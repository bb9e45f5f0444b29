import type { Actor } from '@app/auth';

/** Sent to a client once its rooms are joined. */
export interface WelcomePayload {
  actor: Pick<Actor, 'kind' | 'id' | 'partnershipId' | 'role' | 'storeId'>;
  rooms: string[];
}

export interface ServerToClientEvents {
  welcome: (payload: WelcomePayload) => void;
}

export interface ClientToServerEvents {}

export interface SocketData {
  actor: Actor;
  requestId: string;
}
