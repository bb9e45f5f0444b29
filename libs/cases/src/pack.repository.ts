import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, appendOutbox, SystemDb, TenantDb } from '@app/database';
import { DomainError, ErrorCode } from '@app/errors';
import { JobName } from '@app/queue';
import { appendContinuity } from './case-continuity';
import { lockCase } from './case-status';
import { EvidencePack, PackStatus, PoliceCase } from './entities/case.entity';

/** Packs as police see them: requested (built by the worker), listed, and disclosed on download. */
@Injectable()
export class PackRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
  ) {}

  /**
   * Every key that has signed a pack on this hub (all partnerships: the key is the deployment's),
   * newest last, for publishing outside the packs.
   */
  signingKeys(): Promise<{ fingerprint: string; firstUsedAt: Date; lastUsedAt: Date }[]> {
    return this.system.run((em) =>
      em.query(
        `SELECT key_fingerprint AS fingerprint, min(ready_at) AS "firstUsedAt", max(ready_at) AS "lastUsedAt"
           FROM evidence_packs WHERE key_fingerprint IS NOT NULL AND ready_at IS NOT NULL
          GROUP BY key_fingerprint ORDER BY max(ready_at)`,
      ),
    );
  }

  /** Queues a pack build (the worker picks it up through the outbox). */
  requestPack(scope: TenantScope, caseId: string): Promise<EvidencePack | null> {
    return this.db.run(scope, async (em) => {
      const found = await lockCase(em, scope, caseId);
      if (!found) {
        return null;
      }
      const { identifiers } = await em.insert(EvidencePack, {
        partnershipId: scope.partnershipId,
        caseId,
        status: PackStatus.Queued,
        requestedBy: scope.actorId,
      });
      const packId = identifiers[0].id as string;
      await appendOutbox(em, scope, {
        kind: 'job',
        job: JobName.BuildEvidencePack,
        data: { partnershipId: scope.partnershipId, packId, requestId: scope.requestId },
      });
      await appendAudit(em, scope, {
        action: AccessAction.Combine,
        objectType: 'evidence_pack',
        objectId: packId,
        justification: `pack for case ${found.reference}`,
      });
      return em.findOneByOrFail(EvidencePack, { id: packId });
    });
  }

  packsOfCase(scope: TenantScope, caseId: string): Promise<EvidencePack[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(PoliceCase, { id: caseId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      return em.find(EvidencePack, { where: { caseId }, order: { createdAt: 'DESC', id: 'DESC' } });
    });
  }

  pack(scope: TenantScope, packId: string): Promise<EvidencePack | null> {
    return this.db.run(scope, (em) =>
      em.findOneBy(EvidencePack, { id: packId, partnershipId: scope.partnershipId }),
    );
  }

  /**
   * A download is a disclosure: checks the pack is ready and unexpired, logs `disclose` with the
   * recipient and records the hand-over in the case's continuity chain, before any byte is sent.
   */
  disclosePack(
    scope: TenantScope,
    packId: string,
    recipient: string,
    purpose: string,
  ): Promise<EvidencePack | null> {
    return this.db.run(scope, async (em) => {
      const pack = await em.findOneBy(EvidencePack, { id: packId, partnershipId: scope.partnershipId });
      if (!pack) {
        return null;
      }
      if (pack.status === PackStatus.Expired || (pack.expiresAt && pack.expiresAt.getTime() <= Date.now())) {
        throw new DomainError(ErrorCode.Conflict, 'This pack has expired; build a new one', [
          { field: 'packId', problems: ['expired'] },
        ]);
      }
      if (pack.status !== PackStatus.Ready) {
        throw new DomainError(ErrorCode.Conflict, `This pack is not ready (${pack.status})`, [
          { field: 'packId', problems: [`is ${pack.status}`] },
        ]);
      }
      await appendAudit(em, scope, {
        action: AccessAction.Disclose,
        objectType: 'evidence_pack',
        objectId: pack.id,
        recipients: [recipient],
        justification: purpose,
      });
      await appendContinuity(em, scope.partnershipId, pack.caseId, [
        {
          actorId: scope.actorId,
          actorKind: scope.actorKind,
          action: 'pack_disclosed',
          objectType: 'evidence_pack',
          objectId: pack.id,
          sha256: pack.sha256,
          details: { recipient, purpose },
        },
      ]);
      return pack;
    });
  }
}
