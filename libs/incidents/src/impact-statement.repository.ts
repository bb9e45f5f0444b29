import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, TenantDb } from '@app/database';
import { ImpactStatement, type ImpactKind } from './entities/impact-statement.entity';
import { Incident } from './entities/incident.entity';

const OBJECT = 'impact_statement';

/** Impact statements given with a report: insert and read only. */
@Injectable()
export class ImpactStatementRepository {
  constructor(private readonly db: TenantDb) {}

  /** Records one with its access-log row (null: no such report here). */
  create(
    scope: TenantScope,
    incidentId: string,
    data: { kind: ImpactKind; madeBy: string; text: string },
  ): Promise<ImpactStatement | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(Incident, { id: incidentId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      const { raw } = (await em
        .createQueryBuilder()
        .insert()
        .into(ImpactStatement)
        .values({
          ...data,
          partnershipId: scope.partnershipId,
          incidentId,
          recordedBy: scope.actorId,
          recordedByKind: scope.actorKind,
        })
        .returning('id')
        .execute()) as { raw: { id: string }[] };
      await appendAudit(em, scope, { action: AccessAction.Collect, objectType: OBJECT, objectId: raw[0].id });
      return em.findOneByOrFail(ImpactStatement, { id: raw[0].id });
    });
  }

  /** A report's impact statements, oldest first; reading them is logged (null: no such report). */
  list(scope: TenantScope, incidentId: string): Promise<ImpactStatement[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(Incident, { id: incidentId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      const rows = await em.find(ImpactStatement, {
        where: { incidentId, partnershipId: scope.partnershipId },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      await appendAudit(
        em,
        scope,
        rows.map((r) => ({ action: AccessAction.Consult, objectType: OBJECT, objectId: r.id })),
      );
      return rows;
    });
  }
}
