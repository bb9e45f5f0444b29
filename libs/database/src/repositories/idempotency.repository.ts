import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { appendAudit } from '../audit';
import { AccessAction } from '../entities/access-log-entry.entity';
import { IdempotencyKey } from '../entities/idempotency-key.entity';
import { SystemDb, TenantDb } from '../tenant-db';

@Injectable()
export class IdempotencyRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
  ) {}

  /** The committed record for (partnership, principal, key), if any. */
  find(scope: TenantScope, key: string): Promise<IdempotencyKey | null> {
    return this.db.run(scope, (em) =>
      em.findOneBy(IdempotencyKey, {
        partnershipId: scope.partnershipId,
        principalId: scope.actorId,
        key,
        state: 'completed',
      }),
    );
  }

  /** A replay hands personal data back out, so it is logged as a consultation. */
  async logReplay(scope: TenantScope, record: IdempotencyKey): Promise<void> {
    if (!record.resourceType) {
      return;
    }
    await this.db.run(scope, (em) =>
      appendAudit(em, scope, {
        action: AccessAction.Consult,
        objectType: record.resourceType as string,
        objectId: record.resourceId,
        justification: 'idempotent replay to the original sender',
      }),
    );
  }

  /** Deletes keys older than the retention, at most `limit` per call; returns how many went. */
  purgeOlderThan(days: number, limit = 5000): Promise<number> {
    return this.system.run(async (em) => {
      const rows: unknown[] = await em.query(
        `DELETE FROM idempotency_keys WHERE id IN (
           SELECT id FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1) LIMIT $2)
         RETURNING id`,
        [days, limit],
      );
      return rows.length;
    });
  }
}
