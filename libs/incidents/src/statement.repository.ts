import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { AccessAction, appendAudit, TenantDb } from '@app/database';
import { Incident } from './entities/incident.entity';
import { WitnessStatement } from './entities/witness-statement.entity';
import type { NewStatement } from './statement-content';

const OBJECT = 'witness_statement';

/** MG11 statements: insert and read only. Signed rows never change; corrections are new versions. */
@Injectable()
export class StatementRepository {
  constructor(private readonly db: TenantDb) {}

  /** Takes a statement and its access-log row in one transaction (null: no such report here). */
  create(scope: TenantScope, incidentId: string, data: NewStatement): Promise<WitnessStatement | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(Incident, { id: incidentId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      const { identifiers } = await em.insert(WitnessStatement, {
        ...data,
        partnershipId: scope.partnershipId,
        incidentId,
        version: 1,
        supersedesId: null,
        recordedBy: scope.actorId,
        recordedByKind: scope.actorKind,
      });
      const statement = await em.findOneByOrFail(WitnessStatement, { id: identifiers[0].id as string });
      await appendAudit(em, scope, {
        action: AccessAction.Collect,
        objectType: OBJECT,
        objectId: statement.id,
      });
      return statement;
    });
  }

  /** A correction: a new version pointing at the latest one. Only the latest can be corrected. */
  correct(
    scope: TenantScope,
    incidentId: string,
    statementId: string,
    data: NewStatement,
  ): Promise<WitnessStatement | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      const old = await em.findOneBy(WitnessStatement, {
        id: statementId,
        incidentId,
        partnershipId: scope.partnershipId,
      });
      if (!incident || !old) {
        return null;
      }
      // Serialise corrections of one statement; the unique supersedes_id index is the backstop.
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`statement:${statementId}`]);
      if (await em.existsBy(WitnessStatement, { supersedesId: statementId })) {
        throw new DomainError(
          ErrorCode.Conflict,
          'That version has already been corrected; correct the latest version',
          [{ field: 'statementId', problems: ['is not the latest version'] }],
        );
      }
      const { identifiers } = await em.insert(WitnessStatement, {
        ...data,
        partnershipId: scope.partnershipId,
        incidentId,
        version: old.version + 1,
        supersedesId: old.id,
        recordedBy: scope.actorId,
        recordedByKind: scope.actorKind,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, [
        { action: AccessAction.Collect, objectType: OBJECT, objectId: id },
        {
          action: AccessAction.Alter,
          objectType: OBJECT,
          objectId: old.id,
          justification: `corrected by version ${old.version + 1}`,
        },
      ]);
      return em.findOneByOrFail(WitnessStatement, { id });
    });
  }

  list(scope: TenantScope, incidentId: string): Promise<WitnessStatement[] | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      if (!incident) {
        return null;
      }
      const rows = await em.find(WitnessStatement, {
        where: { incidentId, partnershipId: scope.partnershipId },
        order: { createdAt: 'ASC', version: 'ASC' },
      });
      await appendAudit(
        em,
        scope,
        rows.map((r) => ({ action: AccessAction.Consult, objectType: OBJECT, objectId: r.id })),
      );
      return rows;
    });
  }

  get(scope: TenantScope, incidentId: string, id: string): Promise<WitnessStatement | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      const row = await em.findOneBy(WitnessStatement, {
        id,
        incidentId,
        partnershipId: scope.partnershipId,
      });
      if (!incident || !row) {
        return null;
      }
      await appendAudit(em, scope, { action: AccessAction.Consult, objectType: OBJECT, objectId: id });
      return row;
    });
  }
}
