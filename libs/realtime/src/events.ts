import type { Actor } from '@app/auth';

// This file is imported by the web client (with `import type`) and by radio-client.ts: types only.

/** Sent to a client once its rooms are joined. */
export interface WelcomePayload {
  actor: Pick<Actor, 'kind' | 'id' | 'partnershipId' | 'role' | 'storeId'>;
  rooms: string[];
}

export type AlertTypeName = 'offender_sighted' | 'assistance_requested' | 'all_clear' | 'information';
/** `emergency` only for requests for assistance: the client plays a distinct sound. */
export type AlertPriorityName = 'emergency' | 'high' | 'normal' | 'low';
export type AlertTargetKind = 'partnership' | 'talk_group' | 'store';

/** An alert as every transport carries it (socket event, replay, REST). */
export interface AlertPayload {
  id: string;
  /** per-partnership sequence: gapless in the database, in commit order */
  seq: number;
  partnershipId: string;
  type: AlertTypeName;
  priority: AlertPriorityName;
  message: string;
  offenderProfileId: string | null;
  target: { kind: AlertTargetKind; talkGroupId: string | null; storeId: string | null };
  sender: { id: string | null; kind: string; storeId: string | null };
  createdAt: string;
  expiresAt: string;
}

/** Missed alerts, oldest first. While `more` is set, ask for the next batch after the last seq. */
export interface ReplayBatch {
  alerts: AlertPayload[];
  more: boolean;
}

/** Someone acknowledged an alert: sent to the sender and the partnership's staff. */
export interface AlertAckedPayload {
  alertId: string;
  seq: number;
  actorId: string;
  actorKind: string;
  storeId: string | null;
  at: string;
}

/** A case with a report from this store moved on: what the store is told, in plain words. */
export interface CaseUpdatedPayload {
  caseId: string;
  reference: string;
  status: string;
  plainWords: string;
}

/** The police asked this store for evidence on a case (answer it under "Requests"). */
export interface EvidenceRequestedPayload {
  requestId: string;
  kind: string;
  incidentId: string;
  dueOn: string | null;
}

/** Which stores have a connected client now, across every radio instance. */
export interface PresencePayload {
  stores: { storeId: string; connections: number }[];
  /** connected clients of the partnership in all */
  connections: number;
}

/** The error shape of socket acknowledgements (same fields as HTTP errors). */
export interface SocketError {
  code: string;
  message: string;
  requestId: string;
}

export type SocketResult<T> = { ok: true; data: T } | { ok: false; error: SocketError };

export interface AckRequest {
  alertId: string;
}

export interface AckResponse {
  alertId: string;
  /** false when this actor had already acknowledged it */
  recorded: boolean;
}

export interface ReplayRequest {
  /** null: a client that has seen nothing asks for the alerts still in force */
  afterSeq: number | null;
}

export interface ServerToClientEvents {
  welcome: (payload: WelcomePayload) => void;
  /** a live alert */
  alert: (alert: AlertPayload) => void;
  /** missed alerts after a (re)connection, sent before live ones are shown */
  replay: (batch: ReplayBatch) => void;
  /** the radio lost Redis: live alerts may be missed until `resync`; remember where you were */
  stale: () => void;
  /** the radio is back on Redis: ask for a replay after the seq you had at `stale` */
  resync: () => void;
  'alert:acked': (payload: AlertAckedPayload) => void;
  'case:updated': (payload: CaseUpdatedPayload) => void;
  'evidence:requested': (payload: EvidenceRequestedPayload) => void;
}

export interface ClientToServerEvents {
  ack: (req: AckRequest, done: (res: SocketResult<AckResponse>) => void) => void;
  replay: (req: ReplayRequest, done: (res: SocketResult<ReplayBatch>) => void) => void;
  presence: (done: (res: SocketResult<PresencePayload>) => void) => void;
}

export interface SocketData {
  actor: Actor;
  requestId: string;
  /** the last alert seq the client saw, from `handshake.auth.lastSeq`; null for a fresh client */
  lastSeq: number | null;
}

/** The event name alerts are published under, by the outbox relay and the radio. */
export const ALERT_EVENT = 'alert' satisfies keyof ServerToClientEvents;

/** The events written to the outbox in the transaction that causes them, and relayed to rooms. */
export type RelayedEvent = typeof ALERT_EVENT | 'case:updated' | 'evidence:requested';

/** A relayed event as the outbox stores it: the payload typed by the event map. */
export type RealtimeOutboxEntry = {
  [E in RelayedEvent]: {
    kind: 'realtime';
    event: E;
    rooms: string[];
    payload: Parameters<ServerToClientEvents[E]>[0];
  };
}[RelayedEvent];

/**
 * Not sent to clients: an outbox row under this name makes the radios close the sockets in its
 * rooms (a revoked session or device), server side, so a client cannot ignore it.
 */
export const DISCONNECT_EVENT = 'radio:disconnect';
