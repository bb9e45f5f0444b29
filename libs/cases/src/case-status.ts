import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, appendOutbox } from '@app/database';
import { rooms } from '@app/realtime';
import { assertTransition, plainWordsFor } from './case-rules';
import { CaseHistoryEntry, type CaseStatus, PoliceCase } from './entities/case.entity';

// Steps inside a case's transaction, shared by the case and evidence-request repositories.

/** The case, locked for the rest of the transaction (null when not in this partnership). */
export function lockCase(em: EntityManager, scope: TenantScope, id: string): Promise<PoliceCase | null> {
  return em
    .createQueryBuilder(PoliceCase, 'c')
    .setLock('pessimistic_write')
    .where('c.id = :id AND c.partnership_id = :pid', { id, pid: scope.partnershipId })
    .getOne();
}

export async function recordHistory(
  em: EntityManager,
  scope: TenantScope,
  caseId: string,
  h: Pick<CaseHistoryEntry, 'kind' | 'fromStatus' | 'toStatus' | 'reason' | 'plainWords'> & {
    assignedOfficerId?: string;
  },
): Promise<void> {
  await em.insert(CaseHistoryEntry, {
    partnershipId: scope.partnershipId,
    caseId,
    kind: h.kind,
    fromStatus: h.fromStatus,
    toStatus: h.toStatus,
    assignedOfficerId: h.assignedOfficerId ?? null,
    reason: h.reason,
    plainWords: h.plainWords,
    changedBy: scope.actorId,
    changedByKind: scope.actorKind,
  });
}

/** A guarded status change (CASE_TRANSITIONS), its history, audit and the stores' live update. */
export async function transitionCase(
  em: EntityManager,
  scope: TenantScope,
  id: string,
  to: CaseStatus,
  reason: string,
  extra: { outcome?: string | null; proceedingsDate?: string | null },
): Promise<PoliceCase | null> {
  const found = await lockCase(em, scope, id);
  if (!found) {
    return null;
  }
  assertTransition(found.status, to);
  const plain = plainWordsFor(to, extra.outcome ?? null);
  await em.update(
    PoliceCase,
    { id },
    {
      status: to,
      ...(extra.outcome !== undefined && extra.outcome !== null ? { outcomePlain: plain } : {}),
      ...(extra.proceedingsDate ? { proceedingsDate: extra.proceedingsDate } : {}),
    },
  );
  await recordHistory(em, scope, id, {
    kind: 'status',
    fromStatus: found.status,
    toStatus: to,
    reason,
    plainWords: plain,
  });
  await appendAudit(em, scope, {
    action: AccessAction.Alter,
    objectType: 'case',
    objectId: id,
    justification: `${found.status} -> ${to}: ${reason}`,
  });
  // the stores whose reports are in the case hear about it in plain words, live
  const stores: { store_id: string }[] = await em.query(
    `SELECT DISTINCT i.store_id FROM case_incidents ci JOIN incidents i ON i.id = ci.incident_id WHERE ci.case_id = $1`,
    [id],
  );
  if (plain && stores.length) {
    await appendOutbox(em, scope, {
      kind: 'realtime',
      event: 'case:updated',
      rooms: stores.map((s) => rooms.store(s.store_id)),
      payload: { caseId: id, reference: found.reference, status: to, plainWords: plain },
    });
  }
  return em.findOneByOrFail(PoliceCase, { id });
}
