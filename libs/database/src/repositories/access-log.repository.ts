import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { AccessLogEntry } from '../entities/access-log-entry.entity';
import { TenantDb } from '../tenant-db';

export interface ChainVerdict {
  entries: number;
  valid: boolean;
  /** seq of the first entry whose hash does not follow */
  brokenAt: string | null;
}

@Injectable()
export class AccessLogRepository {
  constructor(private readonly db: TenantDb) {}

  /** Newest first, by chain position. */
  async findPage(
    scope: TenantScope,
    filter: { objectType?: string; objectId?: string; beforeSeq?: string },
    limit: number,
  ) {
    await this.db.chainAccessLog(scope);
    return this.db.run(scope, (em) => {
      const qb = em
        .createQueryBuilder(AccessLogEntry, 'a')
        .where('a.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.objectType) {
        qb.andWhere('a.object_type = :t', { t: filter.objectType });
      }
      if (filter.objectId) {
        qb.andWhere('a.object_id = :o', { o: filter.objectId });
      }
      if (filter.beforeSeq) {
        qb.andWhere('a.seq < :b', { b: filter.beforeSeq });
      }
      return qb.orderBy('a.seq', 'DESC').take(limit).getMany();
    });
  }

  /** Recomputes the partnership's chain in the database (the same function the trigger uses). */
  async verify(scope: TenantScope): Promise<ChainVerdict> {
    await this.db.chainAccessLog(scope);
    return this.db.run(scope, async (em) => {
      const rows: { entries: string; broken_at: string | null }[] = await em.query(
        `WITH chain AS (
           SELECT seq, hash, prev_hash, access_log_entry_hash(a) AS expected,
                  lag(hash, 1, '') OVER (ORDER BY seq) AS previous
             FROM access_log a WHERE partnership_id = $1)
         SELECT count(*)::text AS entries,
                min(seq) FILTER (WHERE hash <> expected OR prev_hash <> previous)::text AS broken_at
           FROM chain`,
        [scope.partnershipId],
      );
      const r = rows[0];
      return { entries: Number(r?.entries ?? 0), valid: !r?.broken_at, brokenAt: r?.broken_at ?? null };
    });
  }
}
