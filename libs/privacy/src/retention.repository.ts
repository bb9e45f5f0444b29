import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Role, type TenantScope } from '@app/auth';
import { AccessAction, appendAudit, SystemDb } from '@app/database';

/** The record kinds retention erases, each with its own period. */
export type RetentionKind = 'incident' | 'alert';

export interface RetentionPeriods {
  incidentDays: number;
  alertDays: number;
}

export interface RetentionRun {
  erased: { kind: RetentionKind; id: string; partnershipId: string }[];
  /** due but on legal hold */
  held: number;
  /** due but kept by the database (an incident on a police case) */
  kept: number;
}

const KINDS: { kind: RetentionKind; table: string; fn: string; days: (p: RetentionPeriods) => number }[] = [
  { kind: 'incident', table: 'incidents', fn: 'retention_erase_incident', days: (p) => p.incidentDays },
  { kind: 'alert', table: 'alerts', fn: 'retention_erase_alert', days: (p) => p.alertDays },
];

/**
 * Retention: erases what is past its period as of `now` (the injected clock), record by record,
 * each in its own transaction with its `erase` row in the access log. The erasure itself runs in a
 * SECURITY DEFINER function that refuses a held record, so a hold binds even a buggy caller.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly system: SystemDb) {}

  async apply(now: Date, periods: RetentionPeriods, requestId: string, batch = 500): Promise<RetentionRun> {
    const run: RetentionRun = { erased: [], held: 0, kept: 0 };
    for (const k of KINDS) {
      const cutoff = new Date(now.getTime() - k.days(periods) * 86_400_000);
      const due: { id: string; partnership_id: string; held: boolean }[] = await this.system.run((em) =>
        em.query(
          `SELECT t.id, t.partnership_id,
                  EXISTS (SELECT 1 FROM legal_holds h
                           WHERE h.partnership_id = t.partnership_id AND h.object_type = $2 AND h.object_id = t.id) AS held
             FROM ${k.table} t WHERE t.created_at < $1 ORDER BY t.created_at, t.id LIMIT $3`,
          [cutoff, k.kind, batch],
        ),
      );
      for (const row of due) {
        if (row.held) {
          run.held += 1;
          continue;
        }
        const erased = await this.system.run(async (em) => {
          const [{ ok }] = await em.query(`SELECT ${k.fn}($1) AS ok`, [row.id]);
          if (ok) {
            await this.logErasure(em, row.partnership_id, k.kind, row.id, k.days(periods), requestId);
          }
          return Boolean(ok);
        });
        if (erased) {
          run.erased.push({ kind: k.kind, id: row.id, partnershipId: row.partnership_id });
        } else {
          run.kept += 1;
        }
      }
    }
    return run;
  }

  private logErasure(
    em: EntityManager,
    partnershipId: string,
    kind: RetentionKind,
    id: string,
    days: number,
    requestId: string,
  ): Promise<void> {
    const scope = {
      partnershipId,
      actorId: null,
      actorKind: 'system',
      role: Role.Admin,
      storeId: null,
      requestId,
    } as unknown as TenantScope;
    return appendAudit(em, scope, {
      action: AccessAction.Erase,
      objectType: kind,
      objectId: id,
      justification: `retention period of ${days} days passed`,
    });
  }
}
