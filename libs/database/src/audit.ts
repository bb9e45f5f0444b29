import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import type { AccessAction } from './entities/access-log-entry.entity';

export interface AuditEntry {
  action: AccessAction;
  objectType: string;
  objectId?: string | null;
  recipients?: string[];
  justification?: string | null;
}

const COLUMNS = [
  'partnership_id',
  'actor_id',
  'actor_kind',
  'action',
  'object_type',
  'object_id',
  'recipients',
  'justification',
  'request_id',
];

/**
 * Writes access-log rows in the caller's transaction. They are staged and enter the hash chain as
 * the transaction commits (see the ChainAccessLogAtCommit migration), so a rollback leaves none.
 */
export async function appendAudit(
  em: EntityManager,
  scope: TenantScope,
  entries: AuditEntry | AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) {
    return;
  }
  const params = list.flatMap((e) => [
    scope.partnershipId,
    scope.actorId,
    scope.actorKind,
    e.action,
    e.objectType,
    e.objectId ?? null,
    e.recipients ?? [],
    e.justification ?? null,
    scope.requestId,
  ]);
  const rows = list.map((_, r) => `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
  await em.query(`INSERT INTO access_log_pending (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params);
}
