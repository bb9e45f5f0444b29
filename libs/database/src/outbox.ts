import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { TenantScope } from '@app/auth';
import type { JobName, JobPayloads } from '@app/queue';
import { DISCONNECT_EVENT, type RealtimeOutboxEntry } from '@app/realtime';
import { OutboxMessage } from './entities/outbox-message.entity';

export type OutboxEntry =
  | { [J in JobName]: { kind: 'job'; job: J; data: JobPayloads[J] } }[JobName]
  | RealtimeOutboxEntry
  | { kind: 'realtime'; event: typeof DISCONNECT_EVENT; rooms: string[]; payload: Record<string, never> };

/**
 * Records a job or realtime event in the caller's transaction, so it is published if and only if
 * the change commits, even while Redis or the worker is down.
 */
export async function appendOutbox(
  em: EntityManager,
  scope: Pick<TenantScope, 'partnershipId'>,
  entries: OutboxEntry | OutboxEntry[],
): Promise<string[]> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) {
    return [];
  }
  const { identifiers } = await em
    .createQueryBuilder()
    .insert()
    .into(OutboxMessage)
    .values(
      list.map(
        (e): QueryDeepPartialEntity<OutboxMessage> =>
          e.kind === 'job'
            ? {
                partnershipId: scope.partnershipId,
                kind: 'job',
                name: e.job,
                rooms: [],
                payload: e.data as never,
              }
            : {
                partnershipId: scope.partnershipId,
                kind: 'realtime',
                name: e.event,
                rooms: e.rooms,
                payload: e.payload as never,
              },
      ),
    )
    .execute();
  return identifiers.map((i) => i.id as string);
}

/**
 * In a revoking transaction: the radios close the sockets in `rooms` once it commits (through the
 * outbox, so a Redis outage delays the cut but never loses it).
 */
export async function closeRadioSockets(
  em: EntityManager,
  partnershipId: string,
  rooms: string[],
): Promise<void> {
  await appendOutbox(
    em,
    { partnershipId },
    { kind: 'realtime', event: DISCONNECT_EVENT, rooms, payload: {} },
  );
}
