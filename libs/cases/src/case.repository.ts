import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Role, type TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import {
  AccessAction,
  appendAudit,
  type AuditEntry,
  type Page,
  type PageRequest,
  SEARCH_CONFIG,
  TenantDb,
} from '@app/database';
import {
  CaseContinuityEntry,
  CaseHistoryEntry,
  CaseIncident,
  CaseOrigin,
  CaseStatus,
  PoliceCase,
} from './entities/case.entity';
import { Incident, IncidentStatus } from '@app/incidents';
import { User } from '@app/identity';
import { SerialFlag, SerialFlagState, Subject } from '@app/offenders';
import { Store } from '@app/partnerships';
import { appendContinuity, syncEvidenceContinuity } from './case-continuity';
import {
  decodeTriageCursor,
  encodeTriageCursor,
  type OpenCase,
  plainWordsFor,
  PRIORITY_SCORE_SQL,
  reportComesToTriageSql,
  TRIAGE_KIND_RANK,
  triageFactorsSql,
  type TriageFilter,
  type TriageFlag,
  TriageItemKind,
  type TriageReport,
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
    kind = 'metadata_stripped',
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
            details: {
              reference: exhibit.reference,
              copy: kind === 'thumbnail' ? 'metadata-free thumbnail' : 'metadata-free viewing copy',
            },
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

  /**
   * The triage queue, highest score first, keyset-paged on (score, kind rank, id): the open cases
   * and, when the filter asks, the serial flags still to act on that no case was opened from and the
   * submitted reports on no case that come to triage by themselves (`reportComesToTriageSql`). Every
   * item is scored by the one rule, over the reports the case opened from it would hold. Each item
   * returned is logged as consulted: a case as itself, a flag as its subject, a report as itself.
   */
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
      if (filter.search) {
        params.push(filter.search.tsquery);
        where.push(`case_search_document(c.reference, c.title) @@ to_tsquery('${SEARCH_CONFIG}', $${params.length})`);
      }
      const rank = TRIAGE_KIND_RANK;
      const branches = [
        `SELECT '${TriageItemKind.Case}'::text AS kind, ${rank.case}::int AS kind_rank, c.id, f.*, ${PRIORITY_SCORE_SQL} AS score
           FROM cases c
           CROSS JOIN LATERAL (${triageFactorsSql(
             'case_incidents ci JOIN incidents i ON i.id = ci.incident_id WHERE ci.case_id = c.id',
             {
               offenderDetained: 'c.offender_detained',
               victimVulnerable: 'c.victim_vulnerable',
               prolific: `(c.origin = '${CaseOrigin.SerialFlag}')`,
             },
           )}) f
          WHERE ${where.join(' AND ')}`,
      ];
      if (filter.withFlagsAndReports) {
        branches.push(
          `SELECT '${TriageItemKind.SerialFlag}'::text, ${rank.serial_flag}::int, sf.id, f.*, ${PRIORITY_SCORE_SQL}
             FROM serial_flags sf
             CROSS JOIN LATERAL (${triageFactorsSql(
               'incidents i WHERE i.partnership_id = sf.partnership_id AND i.id = ANY(sf.incident_ids)',
               { offenderDetained: 'false', victimVulnerable: 'false', prolific: 'true' },
             )}) f
            WHERE sf.partnership_id = $1
              AND sf.state IN ('${SerialFlagState.New}', '${SerialFlagState.Reviewed}')
              AND NOT EXISTS (SELECT 1 FROM cases oc WHERE oc.partnership_id = $1 AND oc.serial_flag_id = sf.id)`,
          `SELECT '${TriageItemKind.Report}'::text, ${rank.report}::int, r.id, f.*, ${PRIORITY_SCORE_SQL}
             FROM incidents r
             CROSS JOIN LATERAL (${triageFactorsSql('incidents i WHERE i.id = r.id', {
               offenderDetained: 'false',
               victimVulnerable: 'false',
               prolific: 'false',
             })}) f
            WHERE r.partnership_id = $1
              AND r.status = '${IncidentStatus.Submitted}'
              AND ${reportComesToTriageSql('r')}
              AND NOT EXISTS (SELECT 1 FROM case_incidents ci WHERE ci.incident_id = r.id)`,
        );
      }
      let cursorSql = '';
      if (page.cursor) {
        const [score, kindRank, id] = decodeTriageCursor(page.cursor);
        params.push(score, kindRank, id);
        const n = params.length;
        cursorSql = `WHERE (score, kind_rank, id) < ($${n - 2}::int, $${n - 1}::int, $${n}::uuid)`;
      }
      params.push(page.limit + 1);
      const rows: TriageQueryRow[] = await em.query(
        `SELECT * FROM (${branches.join('\n UNION ALL \n')}) q ${cursorSql}
         ORDER BY score DESC, kind_rank DESC, id DESC
         LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, page.limit);
      const ids = (kind: TriageItemKind) => items.filter((r) => r.kind === kind).map((r) => r.id);
      const cases = await this.casesById(em, ids(TriageItemKind.Case));
      const flags = await this.flagsById(em, ids(TriageItemKind.SerialFlag));
      const reports = await this.reportsById(em, ids(TriageItemKind.Report));
      await appendAudit(
        em,
        scope,
        items.map((r): AuditEntry => {
          switch (r.kind) {
            case TriageItemKind.Case:
              return {
                action: AccessAction.Consult,
                objectType: CASE_OBJECT,
                objectId: r.id,
                ...(filter.search ? { justification: 'search' } : {}),
              };
            case TriageItemKind.SerialFlag:
              return {
                action: AccessAction.Consult,
                objectType: 'subject',
                objectId: flags.get(r.id)!.subjectId,
                justification: `serial flag ${r.id}`,
              };
            case TriageItemKind.Report:
              return { action: AccessAction.Consult, objectType: 'incident', objectId: r.id };
          }
        }),
      );
      const last = items[items.length - 1];
      return {
        items: items.map((r) => ({
          kind: r.kind,
          id: r.id,
          score: Number(r.score),
          incidentCount: Number(r.incident_count),
          totalValuePence: Number(r.total_value_pence),
          factors: {
            violence: Boolean(r.violence),
            injury: Boolean(r.injury),
            weapon: Boolean(r.weapon),
            hate: Boolean(r.hate),
            offenderDetained: Boolean(r.offender_detained),
            cctvOverwriteOn: r.cctv_overwrite_on ? isoDate(r.cctv_overwrite_on) : null,
            prolific: Boolean(r.prolific),
            hasStatement: Boolean(r.has_statement),
            hasExhibit: Boolean(r.has_exhibit),
            victimVulnerable: Boolean(r.victim_vulnerable),
          },
          case: cases.get(r.id) ?? null,
          serialFlag: flags.get(r.id) ?? null,
          report: reports.get(r.id) ?? null,
        })),
        nextCursor:
          rows.length > page.limit && last
            ? encodeTriageCursor(Number(last.score), last.kind, last.id)
            : null,
      };
    });
  }

  private async casesById(em: EntityManager, ids: string[]): Promise<Map<string, PoliceCase>> {
    const found = ids.length ? await em.find(PoliceCase, { where: ids.map((id) => ({ id })) }) : [];
    return new Map(found.map((c) => [c.id, c]));
  }

  private async flagsById(em: EntityManager, ids: string[]): Promise<Map<string, TriageFlag>> {
    if (!ids.length) {
      return new Map();
    }
    const flags = await em.find(SerialFlag, { where: ids.map((id) => ({ id })) });
    const subjects = await em.find(Subject, {
      where: [...new Set(flags.map((f) => f.subjectId))].map((id) => ({ id })),
      select: { id: true, reference: true },
    });
    const reference = new Map(subjects.map((s) => [s.id, s.reference]));
    return new Map(
      flags.map((f) => [
        f.id,
        {
          id: f.id,
          subjectId: f.subjectId,
          subjectReference: reference.get(f.subjectId) ?? '',
          state: f.state,
          totalPence: Number(f.totalPence),
          theftCount: f.incidentIds.length,
          thresholdPence: f.rule.thresholdPence,
          storeIds: f.storeIds,
          flaggedAt: f.createdAt,
        },
      ]),
    );
  }

  private async reportsById(em: EntityManager, ids: string[]): Promise<Map<string, TriageReport>> {
    if (!ids.length) {
      return new Map();
    }
    const incidents = await em.find(Incident, {
      where: ids.map((id) => ({ id })),
      select: {
        id: true,
        storeId: true,
        occurredAt: true,
        types: true,
        weapon: true,
        injury: true,
        valuePence: true,
      },
    });
    const stores = await em.find(Store, {
      where: [...new Set(incidents.map((i) => i.storeId))].map((id) => ({ id })),
      select: { id: true, name: true },
    });
    const storeName = new Map(stores.map((s) => [s.id, s.name]));
    return new Map(
      incidents.map((i) => [
        i.id,
        {
          id: i.id,
          storeId: i.storeId,
          storeName: storeName.get(i.storeId) ?? '',
          occurredAt: i.occurredAt,
          types: i.types,
          weapon: i.weapon,
          injury: i.injury,
          valuePence: Number(i.valuePence),
        },
      ]),
    );
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

/** A row of the triage query: the item, its factor columns and its score. */
interface TriageQueryRow {
  kind: TriageItemKind;
  kind_rank: number;
  id: string;
  score: number;
  violence: boolean;
  injury: boolean;
  weapon: boolean;
  hate: boolean;
  cctv_overwrite_on: unknown;
  incident_count: number;
  total_value_pence: string;
  offender_detained: boolean;
  victim_vulnerable: boolean;
  prolific: boolean;
  has_statement: boolean;
  has_exhibit: boolean;
}

/** node-postgres reads a `date` as local midnight; print it back as the calendar date it was. */
function isoDate(value: unknown): string {
  if (!(value instanceof Date)) {
    return String(value);
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
