import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { type AccessAction, AccessLogEntry } from './entities';

export interface AuditEntry {
  action: AccessAction;
  objectType: string;
  objectId?: string | null;
  recipients?: string[];
  justification?: string | null;
}

/** Writes access-log rows in the caller's transaction; the trigger chains their hashes. */
export async function appendAudit(
  em: EntityManager,
  scope: TenantScope,
  entries: AuditEntry | AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) {
    return;
  }
  await em
    .createQueryBuilder()
    .insert()
    .into(AccessLogEntry)
    .values(
      list.map((e) => ({
        partnershipId: scope.partnershipId,
        actorId: scope.actorId,
        actorKind: scope.actorKind,
        action: e.action,
        objectType: e.objectType,
        objectId: e.objectId ?? null,
        recipients: e.recipients ?? [],
        justification: e.justification ?? null,
        requestId: scope.requestId,
        // seq, prev_hash and hash are filled by the chain trigger
        seq: '0',
        prevHash: '',
        hash: '',
      })),
    )
    .execute();
}
