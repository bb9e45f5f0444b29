import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Role, type TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { JobName } from '@app/queue';
import {
  AccessAction,
  appendAudit,
  appendOutbox,
  type Page,
  type PageRequest,
  paginate,
  TenantDb,
} from '@app/database';
import {
  CaseContinuityEntry,
  CaseEvidenceRequest,
  CaseHistoryEntry,
  CaseIncident,
  CaseOrigin,
  CaseStatus,
  EvidencePack,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  PackStatus,
  PoliceCase,
} from './entities/case.entity';
import { Incident } from '@app/incidents';
import { User } from '@app/identity';
import { appendContinuity, syncEvidenceContinuity } from './case-continuity';

/** Allowed status changes; anything else is a 409. */
export const CASE_TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  [CaseStatus.New]: [CaseStatus.InTriage, CaseStatus.EvidenceRequested, CaseStatus.NoFurtherAction],
  [CaseStatus.InTriage]: [
    CaseStatus.EvidenceRequested,
    CaseStatus.ReadyForCps,
    CaseStatus.Charged,
    CaseStatus.NoFurtherAction,
    CaseStatus.CommunityResolution,
  ],
  [CaseStatus.EvidenceRequested]: [
    CaseStatus.InTriage,
    CaseStatus.ReadyForCps,
    CaseStatus.Charged,
    CaseStatus.NoFurtherAction,
    CaseStatus.CommunityResolution,
  ],
  [CaseStatus.ReadyForCps]: [CaseStatus.EvidenceRequested, CaseStatus.Charged, CaseStatus.NoFurtherAction],
  [CaseStatus.Charged]: [CaseStatus.CourtOutcome, CaseStatus.NoFurtherAction],
  [CaseStatus.NoFurtherAction]: [],
  [CaseStatus.CommunityResolution]: [],
  [CaseStatus.CourtOutcome]: [],
};

/** What the store and the victim are told when a case reaches a status (null: nothing yet). */
export function plainWordsFor(status: CaseStatus, outcome: string | null): string | null {
  switch (status) {
    case CaseStatus.New:
      return 'The police have opened a case from your report.';
    case CaseStatus.InTriage:
      return 'A police officer is looking at the case.';
    case CaseStatus.EvidenceRequested:
      return 'The police have asked for more evidence. Please check the requests for your store.';
    case CaseStatus.ReadyForCps:
      return 'The police file is ready and is going to the Crown Prosecution Service, who decide whether to charge.';
    case CaseStatus.Charged:
      return 'Someone has been charged. The case will now go to court.';
    case CaseStatus.NoFurtherAction:
      return `The police will take no further action on this case.${outcome ? ` ${outcome}` : ''} Your report stays on record and can still count towards a pattern of offending.`;
    case CaseStatus.CommunityResolution:
      return `The offender has been dealt with out of court by a community resolution.${outcome ? ` ${outcome}` : ''}`;
    case CaseStatus.CourtOutcome:
      return `The court has decided the case.${outcome ? ` ${outcome}` : ''}`;
  }
}

export interface OpenCase {
  incidentIds: string[];
  origin: CaseOrigin;
  serialFlagId: string | null;
  subjectId: string | null;
  title: string;
  offenderDetained: boolean;
  victimVulnerable: boolean;
  reason: string;
}

export interface TriageFilter {
  statuses: CaseStatus[];
  /** an officer's user id, or 'unassigned' */
  officer?: string;
}

/** The factors behind a case's priority score, as computed by the triage query. */
export interface TriageFactors {
  violence: boolean;
  injury: boolean;
  weapon: boolean;
  offenderDetained: boolean;
  cctvOverwriteOn: string | null;
  prolific: boolean;
  hasStatement: boolean;
  hasExhibit: boolean;
  victimVulnerable: boolean;
}

export interface TriageRow {
  case: PoliceCase;
  score: number;
  factors: TriageFactors;
  incidentCount: number;
  totalValuePence: number;
}

/** Points per factor: the score is their sum, and each scored factor is returned as a reason. */
export const PRIORITY_WEIGHTS = {
  violence: 25,
  weapon: 25,
  injury: 20,
  cctvClose: 20,
  prolific: 20,
  offenderDetained: 15,
  victimVulnerable: 15,
  statement: 5,
  exhibit: 5,
} as const;

/** Days before the recorder overwrites footage within which CCTV counts as urgent. */
export const CCTV_URGENT_DAYS = 7;

const PRIORITY_SCORE_SQL = `
  (CASE WHEN f.violence THEN ${PRIORITY_WEIGHTS.violence} ELSE 0 END
 + CASE WHEN f.weapon THEN ${PRIORITY_WEIGHTS.weapon} ELSE 0 END
 + CASE WHEN f.injury THEN ${PRIORITY_WEIGHTS.injury} ELSE 0 END
 + CASE WHEN f.cctv_overwrite_on IS NOT NULL AND f.cctv_overwrite_on <= current_date + ${CCTV_URGENT_DAYS} THEN ${PRIORITY_WEIGHTS.cctvClose} ELSE 0 END
 + CASE WHEN f.prolific THEN ${PRIORITY_WEIGHTS.prolific} ELSE 0 END
 + CASE WHEN f.offender_detained THEN ${PRIORITY_WEIGHTS.offenderDetained} ELSE 0 END
 + CASE WHEN f.victim_vulnerable THEN ${PRIORITY_WEIGHTS.victimVulnerable} ELSE 0 END
 + CASE WHEN f.has_statement THEN ${PRIORITY_WEIGHTS.statement} ELSE 0 END
 + CASE WHEN f.has_exhibit THEN ${PRIORITY_WEIGHTS.exhibit} ELSE 0 END)`;

const CASE_OBJECT = 'case';

/** Police cases: opening, triage, assignment, status history, evidence requests, pack requests. */
@Injectable()
export class CaseRepository {
  constructor(private readonly db: TenantDb) {}

  open(scope: TenantScope, data: OpenCase): Promise<PoliceCase> {
    return this.db.run(scope, async (em) => {
      const ids = [...new Set(data.incidentIds)];
      const incidents = await em.find(Incident, {
        where: ids.map((id) => ({ id, partnershipId: scope.partnershipId })),
        select: { id: true, occurredAt: true },
      });
      if (!ids.length || incidents.length !== ids.length) {
        throw DomainError.invalid('incidentIds', 'must be incidents of this partnership');
      }
      const { identifiers } = await em.insert(PoliceCase, {
        partnershipId: scope.partnershipId,
        reference: 'pending',
        status: CaseStatus.New,
        origin: data.origin,
        serialFlagId: data.serialFlagId,
        subjectId: data.subjectId,
        title: data.title,
        offenderDetained: data.offenderDetained,
        victimVulnerable: data.victimVulnerable,
        openedBy: scope.actorId,
      });
      const id = identifiers[0].id as string;
      await em.update(
        PoliceCase,
        { id },
        { reference: `C-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}` },
      );
      await em.insert(
        CaseIncident,
        incidents
          .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
          .map((i) => ({ partnershipId: scope.partnershipId, caseId: id, incidentId: i.id })),
      );
      await this.history(em, scope, id, {
        kind: 'status',
        fromStatus: null,
        toStatus: CaseStatus.New,
        reason: data.reason,
        plainWords: plainWordsFor(CaseStatus.New, null),
      });
      await appendContinuity(em, scope.partnershipId, id, [
        {
          actorId: scope.actorId,
          actorKind: scope.actorKind,
          action: 'case_opened',
          objectType: 'case',
          objectId: id,
          details: { origin: data.origin, serial_flag_id: data.serialFlagId, incidents: ids.length },
        },
        ...ids.map((incidentId) => ({
          actorId: scope.actorId,
          actorKind: scope.actorKind,
          action: 'incident_linked',
          objectType: 'incident',
          objectId: incidentId,
        })),
      ]);
      await syncEvidenceContinuity(em, scope.partnershipId, id);
      await appendAudit(em, scope, [
        { action: AccessAction.Collect, objectType: CASE_OBJECT, objectId: id, justification: data.reason },
        ...ids.map((incidentId) => ({
          action: AccessAction.Combine,
          objectType: 'incident',
          objectId: incidentId,
          justification: `linked to police case ${id}`,
        })),
      ]);
      return em.findOneByOrFail(PoliceCase, { id });
    });
  }

  /** A serial-offender flag's bundle (serial_flags, from the offender-intelligence module). */
  flagBundle(
    scope: TenantScope,
    flagId: string,
  ): Promise<{ subjectId: string; incidentIds: string[]; totalPence: number } | null> {
    return this.db.run(scope, async (em) => {
      const [{ t }]: { t: string | null }[] = await em.query(`SELECT to_regclass('serial_flags') AS t`);
      if (!t) {
        return null;
      }
      const rows: { subject_id: string; incident_ids: string[]; total_pence: string }[] = await em.query(
        `SELECT subject_id, incident_ids, total_pence FROM serial_flags WHERE id = $1 AND partnership_id = $2`,
        [flagId, scope.partnershipId],
      );
      return rows[0]
        ? {
            subjectId: rows[0].subject_id,
            incidentIds: rows[0].incident_ids,
            totalPence: Number(rows[0].total_pence),
          }
        : null;
    });
  }

  /** A case with its incident ids (oldest first), logged as consulted. */
  get(scope: TenantScope, id: string): Promise<{ case: PoliceCase; incidentIds: string[] } | null> {
    return this.db.run(scope, async (em) => {
      const found = await em.findOneBy(PoliceCase, { id, partnershipId: scope.partnershipId });
      if (!found) {
        return null;
      }
      await appendAudit(em, scope, { action: AccessAction.Consult, objectType: CASE_OBJECT, objectId: id });
      return { case: found, incidentIds: await this.incidentIds(em, id) };
    });
  }

  /** The triage queue: highest score first, keyset-paged on (score, id). */
  triage(scope: TenantScope, filter: TriageFilter, page: PageRequest): Promise<Page<TriageRow>> {
    return this.db.run(scope, async (em) => {
      const params: unknown[] = [scope.partnershipId, filter.statuses];
      const where: string[] = ['c.partnership_id = $1', 'c.status = ANY($2::case_status[])'];
      if (filter.officer === 'unassigned') {
        where.push('c.assigned_officer_id IS NULL');
      } else if (filter.officer) {
        params.push(filter.officer);
        where.push(`c.assigned_officer_id = $${params.length}`);
      }
      let cursorSql = '';
      if (page.cursor) {
        const [score, id] = decodeTriageCursor(page.cursor);
        params.push(score, id);
        cursorSql = `WHERE (score, id) < ($${params.length - 1}::int, $${params.length}::uuid)`;
      }
      params.push(page.limit + 1);
      const rows: (Record<string, unknown> & { id: string; score: number })[] = await em.query(
        `SELECT * FROM (
           SELECT c.id, f.*, ${PRIORITY_SCORE_SQL} AS score
             FROM cases c
             CROSS JOIN LATERAL (
               SELECT coalesce(bool_or(i.types && ARRAY['violence_injury','violence_no_injury','robbery','threat']::incident_type[]), false) AS violence,
                      coalesce(bool_or(i.injury <> 'none'), false) AS injury,
                      coalesce(bool_or(i.weapon <> 'none'), false) AS weapon,
                      min(i.cctv_overwrite_on) FILTER (WHERE i.cctv_available AND i.cctv_overwrite_on >= current_date) AS cctv_overwrite_on,
                      count(*)::int AS incident_count,
                      coalesce(sum(i.value_pence), 0)::bigint AS total_value_pence,
                      c.offender_detained AS offender_detained, c.victim_vulnerable AS victim_vulnerable,
                      (c.origin = 'serial_flag') AS prolific,
                      EXISTS (SELECT 1 FROM witness_statements s JOIN case_incidents x ON x.incident_id = s.incident_id WHERE x.case_id = c.id) AS has_statement,
                      EXISTS (SELECT 1 FROM exhibits e JOIN case_incidents x ON x.incident_id = e.incident_id WHERE x.case_id = c.id) AS has_exhibit
                 FROM case_incidents ci JOIN incidents i ON i.id = ci.incident_id
                WHERE ci.case_id = c.id
             ) f
            WHERE ${where.join(' AND ')}
         ) q ${cursorSql}
         ORDER BY score DESC, id DESC
         LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, page.limit);
      const cases = items.length
        ? await em.find(PoliceCase, { where: items.map((r) => ({ id: r.id })) })
        : [];
      const byId = new Map(cases.map((c) => [c.id, c]));
      const last = items[items.length - 1];
      await appendAudit(
        em,
        scope,
        items.map((r) => ({ action: AccessAction.Consult, objectType: CASE_OBJECT, objectId: r.id })),
      );
      return {
        items: items.map((r) => ({
          case: byId.get(r.id)!,
          score: Number(r.score),
          incidentCount: Number(r.incident_count),
          totalValuePence: Number(r.total_value_pence),
          factors: {
            violence: Boolean(r.violence),
            injury: Boolean(r.injury),
            weapon: Boolean(r.weapon),
            offenderDetained: Boolean(r.offender_detained),
            cctvOverwriteOn: r.cctv_overwrite_on ? isoDate(r.cctv_overwrite_on) : null,
            prolific: Boolean(r.prolific),
            hasStatement: Boolean(r.has_statement),
            hasExhibit: Boolean(r.has_exhibit),
            victimVulnerable: Boolean(r.victim_vulnerable),
          },
        })),
        nextCursor: rows.length > page.limit && last ? encodeTriageCursor(Number(last.score), last.id) : null,
      };
    });
  }

  /** Assigns the case to a police officer of the partnership; recorded in the history. */
  assign(scope: TenantScope, id: string, officerId: string, reason: string): Promise<PoliceCase | null> {
    return this.db.run(scope, async (em) => {
      const found = await this.lock(em, scope, id);
      if (!found) {
        return null;
      }
      const officer = await em.findOneBy(User, { id: officerId, partnershipId: scope.partnershipId });
      if (!officer || officer.role !== Role.Police || officer.disabledAt) {
        throw DomainError.invalid('officerId', 'must be an active police user of this partnership');
      }
      await em.update(PoliceCase, { id }, { assignedOfficerId: officerId });
      await this.history(em, scope, id, {
        kind: 'assignment',
        fromStatus: found.status,
        toStatus: found.status,
        assignedOfficerId: officerId,
        reason,
        plainWords: null,
      });
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: CASE_OBJECT,
        objectId: id,
        justification: `assigned: ${reason}`,
      });
      return em.findOneByOrFail(PoliceCase, { id });
    });
  }

  /** A guarded status change: from the current status only along CASE_TRANSITIONS. */
  transition(
    scope: TenantScope,
    id: string,
    to: CaseStatus,
    reason: string,
    extra: { outcome?: string | null; proceedingsDate?: string | null } = {},
  ): Promise<PoliceCase | null> {
    return this.db.run(scope, (em) => this.transitionIn(em, scope, id, to, reason, extra));
  }

  private async transitionIn(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    to: CaseStatus,
    reason: string,
    extra: { outcome?: string | null; proceedingsDate?: string | null },
  ): Promise<PoliceCase | null> {
    const found = await this.lock(em, scope, id);
    if (!found) {
      return null;
    }
    if (!CASE_TRANSITIONS[found.status].includes(to)) {
      throw new DomainError(ErrorCode.Conflict, `A case cannot go from ${found.status} to ${to}`, [
        {
          field: 'status',
          problems: [
            `allowed from ${found.status}: ${CASE_TRANSITIONS[found.status].join(', ') || 'none (final)'}`,
          ],
        },
      ]);
    }
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
    await this.history(em, scope, id, {
      kind: 'status',
      fromStatus: found.status,
      toStatus: to,
      reason,
      plainWords: plain,
    });
    await appendAudit(em, scope, {
      action: AccessAction.Alter,
      objectType: CASE_OBJECT,
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
        event: 'case.update',
        rooms: stores.map((s) => `store:${s.store_id}`),
        payload: { caseId: id, reference: found.reference, status: to, plainWords: plain },
      });
    }
    return em.findOneByOrFail(PoliceCase, { id });
  }

  historyOf(scope: TenantScope, id: string): Promise<CaseHistoryEntry[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(PoliceCase, { id, partnershipId: scope.partnershipId }))) {
        return null;
      }
      return em.find(CaseHistoryEntry, { where: { caseId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
    });
  }

  /** The continuity chain of a case, oldest first (brought up to date with its evidence first). */
  continuity(scope: TenantScope, id: string): Promise<CaseContinuityEntry[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(PoliceCase, { id, partnershipId: scope.partnershipId }))) {
        return null;
      }
      await syncEvidenceContinuity(em, scope.partnershipId, id);
      return em.find(CaseContinuityEntry, { where: { caseId: id }, order: { seq: 'ASC' } });
    });
  }

  // --- evidence requests

  request(
    scope: TenantScope,
    caseId: string,
    data: { incidentId: string; kind: EvidenceRequestKind; message: string; dueOn: string | null },
  ): Promise<CaseEvidenceRequest | null> {
    return this.db.run(scope, async (em) => {
      const found = await this.lock(em, scope, caseId);
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
        await this.transitionIn(
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
        event: 'evidence-request.created',
        rooms: [`store:${incident.storeId}`],
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

  /** The store's answer (or refusal): once; statements and exhibits must be on the incident. */
  answer(
    scope: TenantScope,
    requestId: string,
    authorize: (storeId: string) => void,
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
      authorize(req.storeId);
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

  // --- packs

  /** Queues a pack build (the worker picks it up through the outbox). */
  requestPack(scope: TenantScope, caseId: string): Promise<EvidencePack | null> {
    return this.db.run(scope, async (em) => {
      const found = await this.lock(em, scope, caseId);
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

  // --- helpers

  private async lock(em: EntityManager, scope: TenantScope, id: string): Promise<PoliceCase | null> {
    return em
      .createQueryBuilder(PoliceCase, 'c')
      .setLock('pessimistic_write')
      .where('c.id = :id AND c.partnership_id = :pid', { id, pid: scope.partnershipId })
      .getOne();
  }

  private async incidentIds(em: EntityManager, caseId: string): Promise<string[]> {
    const rows: { incident_id: string }[] = await em.query(
      `SELECT ci.incident_id FROM case_incidents ci JOIN incidents i ON i.id = ci.incident_id WHERE ci.case_id = $1 ORDER BY i.occurred_at, i.id`,
      [caseId],
    );
    return rows.map((r) => r.incident_id);
  }

  private async history(
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
}

function encodeTriageCursor(score: number, id: string): string {
  return Buffer.from(`${score}|${id}`).toString('base64url');
}

function decodeTriageCursor(cursor: string): [number, string] {
  const [score, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!/^\d+$/.test(score ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return [Number(score), id];
}

/** node-postgres reads a `date` as local midnight; print it back as the calendar date it was. */
function isoDate(value: unknown): string {
  if (!(value instanceof Date)) {
    return String(value);
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
