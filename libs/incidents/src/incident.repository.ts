import { Injectable } from '@nestjs/common';
import { assertChangeAllowed } from './incident-rules';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';

import { JobName } from '@app/queue';
import {
  AccessAction,
  appendAudit,
  appendOutbox,
  hydrate,
  namedQuery,
  type Page,
  type PageRequest,
  paginateConsulted,
  SEARCH_CONFIG,
  TenantDb,
  type TextSearch,
} from '@app/database';
import { type FieldChanges, IncidentAmendment } from './entities/incident-amendment.entity';
import {
  Incident,
  IncidentStatus,
  type IncidentTrigger,
  type IncidentType,
  type WeaponKind,
} from './entities/incident.entity';

import { londonDate } from '@app/offenders';

export type IncidentFields = Omit<
  Incident,
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'partnershipId'
  | 'partnership'
  | 'store'
  | 'version'
  | 'reportedAt'
  | 'reportedBy'
  | 'reportedByKind'
>;

/** Fields an amendment may change (not the status: that is a transition). */
export type IncidentPatch = Partial<Omit<IncidentFields, 'status' | 'storeId'>>;

export interface IncidentFilter {
  /** limit to one store (shop roles) */
  storeId?: string | null;
  occurredFrom?: Date;
  occurredTo?: Date;
  type?: IncidentType;
  trigger?: IncidentTrigger;
  weapon?: WeaponKind;
  offenderId?: string;
  status?: IncidentStatus;
  /** narrative, goods and store name; results best match first */
  search?: TextSearch | null;
}

const COUNTED = [IncidentStatus.Submitted, IncidentStatus.Reviewed, IncidentStatus.Closed];

@Injectable()
export class IncidentRepository {
  constructor(private readonly db: TenantDb) {}

  /**
   * Files a report: report, access-log row and aggregation job in one transaction (the request's
   * unit of work, with its idempotency key). A store outside the partnership is refused.
   */
  report(scope: TenantScope, fields: IncidentFields): Promise<Incident> {
    return this.db.run(scope, async (em) => {
      const submitted = fields.status !== IncidentStatus.Draft;
      // one round trip, a named statement: the row comes back whole; another partnership's store
      // breaks incidents_store_id_fkey, answered 400 naming storeId
      const [sql, params] = em
        .createQueryBuilder()
        .insert()
        .into(Incident)
        .values({
          ...fields,
          partnershipId: scope.partnershipId,
          reportedAt: submitted ? () => 'now()' : null,
          reportedBy: scope.actorId,
          reportedByKind: scope.actorKind,
        })
        .returning('*')
        .getQueryAndParameters();
      const [row] = await namedQuery(em, sql, params);
      const incident = hydrate(em, Incident, row);
      if (submitted) {
        await this.enqueueRollup(em, scope, [incident.occurredAt]);
      }
      await appendAudit(em, scope, {
        action: AccessAction.Collect,
        objectType: 'incident',
        objectId: incident.id,
      });
      return incident;
    });
  }

  /** The store a report belongs to (null: no such report here), for the services' access checks. */
  async storeOf(scope: TenantScope, id: string): Promise<string | null> {
    const found = await this.db.run(scope, (em) =>
      em.findOne(Incident, {
        where: { id, partnershipId: scope.partnershipId },
        select: { id: true, storeId: true },
      }),
    );
    return found?.storeId ?? null;
  }

  /** Reading a report is a consultation: logged. */
  read(scope: TenantScope, id: string): Promise<Incident | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id, partnershipId: scope.partnershipId });
      if (!incident) {
        return null;
      }
      await appendAudit(em, scope, { action: AccessAction.Consult, objectType: 'incident', objectId: id });
      return incident;
    });
  }

  /** Newest first (best match first for a search); every report returned is logged as consulted. */
  findPage(scope: TenantScope, filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(Incident, 'i')
        .where('i.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.storeId) {
        qb.andWhere('i.store_id = :sid', { sid: filter.storeId });
      }
      if (filter.occurredFrom) {
        qb.andWhere('i.occurred_at >= :from', { from: filter.occurredFrom });
      }
      if (filter.occurredTo) {
        qb.andWhere('i.occurred_at < :to', { to: filter.occurredTo });
      }
      if (filter.type) {
        qb.andWhere(':type = ANY(i.types)', { type: filter.type });
      }
      if (filter.trigger) {
        qb.andWhere(':trigger = ANY(i.triggers)', { trigger: filter.trigger });
      }
      if (filter.weapon) {
        qb.andWhere('i.weapon = :weapon', { weapon: filter.weapon });
      }
      if (filter.offenderId) {
        qb.andWhere('i.offender_id = :oid', { oid: filter.offenderId });
      }
      if (filter.status) {
        qb.andWhere('i.status = :status', { status: filter.status });
      }
      if (!filter.search) {
        return paginateConsulted(em, scope, qb, page, 'incident');
      }
      const doc = 'incident_search_document(i.narrative, i.goods)';
      const tsq = `to_tsquery('${SEARCH_CONFIG}', :tsq)`;
      // a store's name matches all its reports (ranked after those whose words match)
      qb.andWhere(
        `(${doc} @@ ${tsq} OR i.store_id IN (SELECT st.id FROM stores st
           WHERE st.partnership_id = :pid AND to_tsvector('${SEARCH_CONFIG}', st.name) @@ ${tsq}))`,
        { tsq: filter.search.tsquery },
      );
      return paginateConsulted(em, scope, qb, page, 'incident', undefined, { rank: `ts_rank(${doc}, ${tsq})` });
    });
  }

  /**
   * Changes a report and records who changed what. `expectedVersion` guards against lost updates;
   * returns 'stale' when someone else amended it first.
   */
  amend(
    scope: TenantScope,
    id: string,
    expectedVersion: number,
    patch: IncidentPatch & { status?: IncidentStatus },
    reason: string | null,
  ): Promise<Incident | null | 'stale'> {
    return this.db.run(scope, async (em) => {
      const before = await em.findOne(Incident, {
        where: { id, partnershipId: scope.partnershipId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!before) {
        return null;
      }
      assertChangeAllowed(before.status, patch.status);
      if (before.version !== expectedVersion) {
        return 'stale';
      }
      const changes: FieldChanges = {};
      for (const [field, to] of Object.entries(patch)) {
        const from = (before as unknown as Record<string, unknown>)[field];
        if (to !== undefined && !sameValue(from, to)) {
          changes[field] = { from: jsonValue(from), to: jsonValue(to) };
        }
      }
      if (!Object.keys(changes).length) {
        return before;
      }
      const version = before.version + 1;
      const submitting = before.status === IncidentStatus.Draft && patch.status === IncidentStatus.Submitted;
      await em.update(
        Incident,
        { id },
        {
          ...patch,
          version,
          ...(submitting ? { reportedAt: () => 'now()' } : {}),
        },
      );
      await em.insert(IncidentAmendment, {
        partnershipId: scope.partnershipId,
        incidentId: id,
        version,
        changedBy: scope.actorId,
        changedByKind: scope.actorKind,
        changes: changes as never,
        reason,
      });
      await appendAudit(em, scope, { action: AccessAction.Alter, objectType: 'incident', objectId: id });
      const after = await em.findOneByOrFail(Incident, { id });
      const counted = (i: Incident) => COUNTED.includes(i.status);
      if (counted(before) || counted(after)) {
        const touchesRollup = ['status', 'types', 'occurredAt', 'goods'].some((f) => f in changes);
        if (touchesRollup) {
          await this.enqueueRollup(em, scope, [before.occurredAt, after.occurredAt]);
        }
      }
      return after;
    });
  }

  /** The amendment history of a report, oldest first (a consultation: logged). */
  history(scope: TenantScope, id: string): Promise<IncidentAmendment[] | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id, partnershipId: scope.partnershipId });
      if (!incident) {
        return null;
      }
      await appendAudit(em, scope, { action: AccessAction.Consult, objectType: 'incident', objectId: id });
      return em.find(IncidentAmendment, { where: { incidentId: id }, order: { version: 'ASC' } });
    });
  }

  private async enqueueRollup(em: EntityManager, scope: TenantScope, instants: Date[]): Promise<void> {
    const days = [...new Set(instants.map(londonDate))];
    await appendOutbox(
      em,
      scope,
      days.map((day) => ({
        kind: 'job' as const,
        job: JobName.RollupDay,
        data: { partnershipId: scope.partnershipId, day, requestId: scope.requestId },
      })),
    );
  }
}

function jsonValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : (v ?? null);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(jsonValue(a)) === JSON.stringify(jsonValue(b));
}
