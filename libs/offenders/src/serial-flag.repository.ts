import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { AccessAction, appendAudit, type Page, type PageRequest, paginateConsulted, TenantDb } from '@app/database';
import { SerialFlag, SerialFlagState } from './entities/serial-flag.entity';

/** Serial-offender flags raised by detection: read (each a consultation of the subject) and decided. */
@Injectable()
export class SerialFlagRepository {
  constructor(private readonly db: TenantDb) {}

  flags(scope: TenantScope, state: SerialFlagState | null, page: PageRequest): Promise<Page<SerialFlag>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(SerialFlag, 'f')
        .where('f.partnership_id = :pid', { pid: scope.partnershipId });
      if (state) {
        qb.andWhere('f.state = :state', { state });
      }
      return paginateConsulted(em, scope, qb, page, 'subject', (f) => f.subjectId);
    });
  }

  flag(scope: TenantScope, id: string): Promise<SerialFlag | null> {
    return this.db.run(scope, async (em) => {
      const flag = await em.findOneBy(SerialFlag, { id, partnershipId: scope.partnershipId });
      if (!flag) {
        return null;
      }
      await appendAudit(em, scope, {
        action: AccessAction.Consult,
        objectType: 'subject',
        objectId: flag.subjectId,
        justification: `serial flag ${id}`,
      });
      return flag;
    });
  }

  /** new -> reviewed -> case_opened | dismissed (new may go straight to either). */
  decideFlag(
    scope: TenantScope,
    id: string,
    to: SerialFlagState,
    note: string | null,
  ): Promise<SerialFlag | null> {
    return this.db.run(scope, async (em) => {
      const flag = await em.findOne(SerialFlag, {
        where: { id, partnershipId: scope.partnershipId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!flag) {
        return null;
      }
      const allowed: Record<SerialFlagState, SerialFlagState[]> = {
        [SerialFlagState.New]: [
          SerialFlagState.Reviewed,
          SerialFlagState.CaseOpened,
          SerialFlagState.Dismissed,
        ],
        [SerialFlagState.Reviewed]: [SerialFlagState.CaseOpened, SerialFlagState.Dismissed],
        [SerialFlagState.CaseOpened]: [],
        [SerialFlagState.Dismissed]: [],
        [SerialFlagState.Withdrawn]: [],
      };
      if (!allowed[flag.state].includes(to)) {
        throw new DomainError(ErrorCode.Conflict, `A ${flag.state} flag cannot become ${to}`);
      }
      if (to === SerialFlagState.Dismissed && !note) {
        throw DomainError.invalid('note', 'is required to dismiss a flag: record why');
      }
      await em.update(
        SerialFlag,
        { id },
        { state: to, decidedBy: scope.actorId, decidedAt: () => 'now()', decisionNote: note },
      );
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: flag.subjectId,
        justification: `serial flag ${id}: ${flag.state} -> ${to}${note ? `: ${note}` : ''}`,
      });
      return em.findOneByOrFail(SerialFlag, { id });
    });
  }
}
