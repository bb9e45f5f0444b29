import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Role, type TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { AccessAction, appendAudit, type Page, type PageRequest, TenantDb } from '@app/database';
import {
  CaseContinuityEntry,
  CaseHistoryEntry,
  CaseIncident,
  CaseStatus,
  PoliceCase,
} from './entities/case.entity';
import { Incident } from '@app/incidents';
import { User } from '@app/identity';
import { appendContinuity, syncEvidenceContinuity } from './case-continuity';
import {
  decodeTriageCursor,
  encodeTriageCursor,
  type OpenCase,
  plainWordsFor,
  PRIORITY_SCORE_SQL,
  type TriageFilter,
  type TriageRow,
} from './case-rules';
import { lockCase, recordHistory, transitionCase } from './case-status';

const CASE_OBJECT = 'case';

/** Police cases: opening, triage, assignment, status history, continuity. */
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
      if (data.serialFlagId) {
        // the flag moves on with the case (serial_flags: the offender-intelligence module's table)
        await em.query(
          `UPDATE serial_flags SET state = 'case_opened', decided_by = $2, decided_at = now(),
                  decision_note = $3
            WHERE id = $1 AND state IN ('new', 'reviewed')`,
          [data.serialFlagId, scope.actorId, `police case ${id} opened from this flag`],
        );
      }
      await recordHistory(em, scope, id, {
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

  /** A view of an exhibit enters the continuity chain of every case holding its report. */
  exhibitViewed(
    scope: TenantScope,
    exhibit: { id: string; incidentId: string; sha256: string; reference: string },
  ): Promise<void> {
    return this.db.run(scope, async (em) => {
      const holding: { case_id: string }[] = await em.query(
        `SELECT case_id FROM case_incidents WHERE incident_id = $1 ORDER BY case_id`,
        [exhibit.incidentId],
      );
      for (const { case_id } of holding) {
        await appendContinuity(em, scope.partnershipId, case_id, [
          {
            actorId: scope.actorId,
            actorKind: scope.actorKind,
            action: 'exhibit_viewed',
            objectType: 'exhibit',
            objectId: exhibit.id,
            sha256: exhibit.sha256,
            details: { reference: exhibit.reference, copy: 'metadata-free viewing copy' },
          },
        ]);
      }
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
      const found = await lockCase(em, scope, id);
      if (!found) {
        return null;
      }
      const officer = await em.findOneBy(User, { id: officerId, partnershipId: scope.partnershipId });
      if (!officer || officer.role !== Role.Police || officer.disabledAt) {
        throw DomainError.invalid('officerId', 'must be an active police user of this partnership');
      }
      await em.update(PoliceCase, { id }, { assignedOfficerId: officerId });
      await recordHistory(em, scope, id, {
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
    return this.db.run(scope, (em) => transitionCase(em, scope, id, to, reason, extra));
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

  private async incidentIds(em: EntityManager, caseId: string): Promise<string[]> {
    const rows: { incident_id: string }[] = await em.query(
      `SELECT ci.incident_id FROM case_incidents ci JOIN incidents i ON i.id = ci.incident_id WHERE ci.case_id = $1 ORDER BY i.occurred_at, i.id`,
      [caseId],
    );
    return rows.map((r) => r.incident_id);
  }
}

/** node-postgres reads a `date` as local midnight; print it back as the calendar date it was. */
function isoDate(value: unknown): string {
  if (!(value instanceof Date)) {
    return String(value);
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
