import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import type { JobName, JobPayloads } from '@app/queue';
import { DISCONNECT_EVENT, type RealtimeOutboxEntry } from '@app/realtime';
import { stageWrite } from './staged-writes';

export type OutboxEntry =
  | { [J in JobName]: { kind: 'job'; job: J; data: JobPayloads[J] } }[JobName]
  | RealtimeOutboxEntry
  | { kind: 'realtime'; event: typeof DISCONNECT_EVENT; rooms: string[]; payload: Record<string, never> };

/**
 * Records a job or realtime event in the caller's transaction (staged with its other bookkeeping
 * writes), so it is published if and only if the change commits, even while Redis or the worker is
 * down. Messages are published in `created_at` order: the clock when the transaction writes them,
 * just before it commits.
 */
export async function appendOutbox(
  em: EntityManager,
  scope: Pick<TenantScope, 'partnershipId'>,
  entries: OutboxEntry | OutboxEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) {
    return;
  }
  await stageWrite(em, (param) => {
    const rows = list.map((e) =>
      [
        param(scope.partnershipId),
        param(e.kind),
        param(e.kind === 'job' ? e.job : e.event),
        param(e.kind === 'job' ? [] : e.rooms),
        `${param(JSON.stringify(e.kind === 'job' ? e.data : e.payload))}::jsonb`,
        'clock_timestamp()',
      ].join(', '),
    );
    return `INSERT INTO outbox (partnership_id, kind, name, rooms, payload, created_at) VALUES ${rows.map((r) => `(${r})`).join(', ')}`;
  });
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
