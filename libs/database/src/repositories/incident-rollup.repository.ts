import { Injectable } from '@nestjs/common';
import { TenantDb } from '../tenant-db';

/** The aggregation effect: daily counts recomputed from the reports, so twice equals once. */
@Injectable()
export class IncidentRollupRepository {
  constructor(private readonly db: TenantDb) {}

  /** Recomputes one partnership's counts for one London day; returns the number of cells. */
  rollupDay(partnershipId: string, day: string): Promise<number> {
    return this.db.run({ partnershipId }, async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `rollup:${partnershipId}:${day}`,
      ]);
      await em.query(`DELETE FROM incident_daily_counts WHERE partnership_id = $1 AND day = $2`, [
        partnershipId,
        day,
      ]);
      const rows: unknown[] = await em.query(
        `INSERT INTO incident_daily_counts (partnership_id, store_id, day, type, count, value_pence)
         SELECT i.partnership_id, i.store_id, $2::date, t.type, count(*)::int, sum(i.value_pence)
           FROM incidents i CROSS JOIN LATERAL unnest(i.types) AS t(type)
          WHERE i.partnership_id = $1
            AND i.status IN ('submitted', 'reviewed', 'closed')
            AND (i.occurred_at AT TIME ZONE 'Europe/London')::date = $2::date
          GROUP BY i.partnership_id, i.store_id, t.type
         ON CONFLICT (partnership_id, store_id, day, type)
           DO UPDATE SET count = EXCLUDED.count, value_pence = EXCLUDED.value_pence, updated_at = now()
         RETURNING id`,
        [partnershipId, day],
      );
      return rows.length;
    });
  }
}
