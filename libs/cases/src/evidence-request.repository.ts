import { Injectable } from '@nestjs/common';
import { type TenantScope } from '@app/auth';
import {
  AccessAction,
  appendAudit,
  appendOutbox,
  type Page,
  type PageRequest,
  paginate,
  TenantDb,
} from '@app/database';
import { DomainError, ErrorCode } from '@app/errors';
import { Incident } from '@app/incidents';
import { rooms } from '@app/realtime';
import { appendContinuity, syncEvidenceContinuity } from './case-continuity';
import { lockCase, transitionCase } from './case-status';
import {
  CaseEvidenceRequest,
  CaseHistoryEntry,
  CaseIncident,
  CaseStatus,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  PoliceCase,
} from './entities/case.entity';

/** What the police ask of a store on a case, the store's answers, and the plain-words updates stores see. */
@Injectable()
export class EvidenceRequestRepository {
  constructor(private readonly db: TenantDb) {}

  request(
    scope: TenantScope,
    caseId: string,
    data: { incidentId: string; kind: EvidenceRequestKind; message: string; dueOn: string | null },
  ): Promise<CaseEvidenceRequest | null> {
    return this.db.run(scope, async (em) => {
      const found = await lockCase(em, scope, caseId);
      if (!found) {
        return null;
      }
      const link = await em.findOneBy(CaseIncident, { caseId, incidentId: data.incidentId });
      const incident = link ? await em.findOneBy(Incident, { id: data.incidentId }) : null;
      if (!incident) {
        throw DomainError.invalid('incidentId', 'must be an incident of this case');
      }
      const { identifiers } = await em.insert(CaseEvidenceRequest, {
        partnershipId: scope.partnershipId,
        caseId,
        incidentId: incident.id,
        storeId: incident.storeId,
        kind: data.kind,
        message: data.message,
        dueOn: data.dueOn,
        status: EvidenceRequestStatus.Open,
        requestedBy: scope.actorId,
      });
      const requestId = identifiers[0].id as string;
      if ([CaseStatus.New, CaseStatus.InTriage].includes(found.status)) {
        await transitionCase(
          em,
          scope,
          caseId,
          CaseStatus.EvidenceRequested,
          `requested ${data.kind.replace('_', ' ')}`,
          {},
        );
      }
      await appendContinuity(em, scope.partnershipId, caseId, [
        {
          actorId: scope.actorId,
          actorKind: scope.actorKind,
          action: 'evidence_requested',
          objectType: 'evidence_request',
          objectId: requestId,
          details: { kind: data.kind, incident_id: incident.id, store_id: incident.storeId },
        },
      ]);
      await appendOutbox(em, scope, {
        kind: 'realtime',
        event: 'evidence:requested',
        rooms: [rooms.store(incident.storeId)],
        payload: { requestId, kind: data.kind, incidentId: incident.id, dueOn: data.dueOn },
      });
      return em.findOneByOrFail(CaseEvidenceRequest, { id: requestId });
    });
  }

  requestsOfCase(scope: TenantScope, caseId: string): Promise<CaseEvidenceRequest[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(PoliceCase, { id: caseId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      return em.find(CaseEvidenceRequest, { where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } });
    });
  }

  /** Requests addressed to stores, newest first; `storeId` limits to one store (shop roles). */
  requestsForStores(
    scope: TenantScope,
    filter: { storeId: string | null; status?: EvidenceRequestStatus },
    page: PageRequest,
  ): Promise<Page<CaseEvidenceRequest>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(CaseEvidenceRequest, 'r')
        .where('r.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.storeId) {
        qb.andWhere('r.store_id = :sid', { sid: filter.storeId });
      }
      if (filter.status) {
        qb.andWhere('r.status = :status', { status: filter.status });
      }
      return paginate(qb, page);
    });
  }

  /** The store a request is addressed to (null: no such request here), for the service's access check. */
  async storeOf(scope: TenantScope, requestId: string): Promise<string | null> {
    const found = await this.db.run(scope, (em) =>
      em.findOne(CaseEvidenceRequest, {
        where: { id: requestId, partnershipId: scope.partnershipId },
        select: { id: true, storeId: true },
      }),
    );
    return found?.storeId ?? null;
  }

  /** The store's answer (or refusal): once; statements and exhibits must be on the incident. */
  answer(
    scope: TenantScope,
    requestId: string,
    data: {
      decline: boolean;
      answerText: string | null;
      impactKind: 'isb' | 'vps' | null;
      impactMadeBy: string | null;
      exhibitIds: string[];
      statementIds: string[];
    },
  ): Promise<CaseEvidenceRequest | null> {
    return this.db.run(scope, async (em) => {
      const req = await em
        .createQueryBuilder(CaseEvidenceRequest, 'r')
        .setLock('pessimistic_write')
        .where('r.id = :id AND r.partnership_id = :pid', { id: requestId, pid: scope.partnershipId })
        .getOne();
      if (!req) {
        return null;
      }
      if (req.status !== EvidenceRequestStatus.Open) {
        throw new DomainError(ErrorCode.Conflict, 'This request has already been answered');
      }
      if (
        !data.decline &&
        req.kind === EvidenceRequestKind.ImpactStatement &&
        (!data.answerText || !data.impactKind || !data.impactMadeBy)
      ) {
        throw DomainError.invalid(
          'answerText',
          'an impact statement needs its text, impactKind (isb or vps) and impactMadeBy',
        );
      }
      if (data.exhibitIds.length) {
        const [{ n }]: { n: number }[] = await em.query(
          `SELECT count(*)::int AS n FROM exhibits WHERE incident_id = $1 AND id = ANY($2::uuid[])`,
          [req.incidentId, data.exhibitIds],
        );
        if (n !== new Set(data.exhibitIds).size) {
          throw DomainError.invalid('exhibitIds', 'must be exhibits of the requested incident');
        }
      }
      if (data.statementIds.length) {
        const [{ n }]: { n: number }[] = await em.query(
          `SELECT count(*)::int AS n FROM witness_statements WHERE incident_id = $1 AND id = ANY($2::uuid[])`,
          [req.incidentId, data.statementIds],
        );
        if (n !== new Set(data.statementIds).size) {
          throw DomainError.invalid('statementIds', 'must be statements of the requested incident');
        }
      }
      await em.update(
        CaseEvidenceRequest,
        { id: req.id },
        {
          status: data.decline ? EvidenceRequestStatus.Declined : EvidenceRequestStatus.Answered,
          answeredBy: scope.actorId,
          answeredAt: () => 'now()',
          answerText: data.answerText,
          impactKind: data.impactKind,
          impactMadeBy: data.impactMadeBy,
          exhibitIds: data.exhibitIds,
          statementIds: data.statementIds,
        },
      );
      await syncEvidenceContinuity(em, scope.partnershipId, req.caseId);
      await appendContinuity(em, scope.partnershipId, req.caseId, [
        {
          actorId: scope.actorId,
          actorKind: scope.actorKind,
          action: data.decline ? 'evidence_request_declined' : 'evidence_request_answered',
          objectType: 'evidence_request',
          objectId: req.id,
          details: {
            kind: req.kind,
            impact_kind: data.impactKind,
            exhibits: data.exhibitIds.length,
            statements: data.statementIds.length,
          },
        },
      ]);
      await appendAudit(em, scope, {
        action: AccessAction.Collect,
        objectType: 'evidence_request',
        objectId: req.id,
      });
      return em.findOneByOrFail(CaseEvidenceRequest, { id: req.id });
    });
  }

  /** Plain-words updates on cases that include a report from the given store (or any store). */
  updatesForStores(
    scope: TenantScope,
    storeId: string | null,
    page: PageRequest,
  ): Promise<Page<CaseHistoryEntry & { caseReference: string }>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(CaseHistoryEntry, 'h')
        .innerJoin(PoliceCase, 'c', 'c.id = h.case_id')
        .where('h.partnership_id = :pid AND h.plain_words IS NOT NULL', { pid: scope.partnershipId });
      if (storeId) {
        qb.andWhere(
          'EXISTS (SELECT 1 FROM case_incidents ci JOIN incidents i ON i.id = ci.incident_id WHERE ci.case_id = h.case_id AND i.store_id = :sid)',
          { sid: storeId },
        );
      }
      const refs = new Map<string, string>();
      const result = await paginate(qb, page);
      if (result.items.length) {
        const cases = await em.find(PoliceCase, {
          where: [...new Set(result.items.map((h) => h.caseId))].map((id) => ({ id })),
          select: { id: true, reference: true },
        });
        for (const c of cases) {
          refs.set(c.id, c.reference);
        }
      }
      return {
        items: result.items.map((h) => Object.assign(h, { caseReference: refs.get(h.caseId) ?? '' })),
        nextCursor: result.nextCursor,
      };
    });
  }
}
