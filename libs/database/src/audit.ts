import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import type { AccessAction } from './entities/access-log-entry.entity';
import { stageWrite } from './staged-writes';

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
 * Writes access-log rows in the caller's transaction, staged with its other bookkeeping writes, so a
 * rollback leaves none. They enter the hash chain after the commit, in batches (see the
 * ChainAccessLogInBatches migration and `chainAccessLog`).
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
  await stageWrite(
    em,
    (param) => {
      const rows = list.map((e) =>
        [
          scope.partnershipId,
          scope.actorId,
          scope.actorKind,
          e.action,
          e.objectType,
          e.objectId ?? null,
          e.recipients ?? [],
          e.justification ?? null,
          scope.requestId,
        ].map(param),
      );
      return `INSERT INTO access_log_pending (${COLUMNS.join(', ')}) VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`;
    },
    { auditOf: scope.partnershipId },
  );
}
