import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { TenantDb } from '@app/database';
import type { RetentionKind } from './retention.repository';
import { LegalHold } from './entities/legal-hold.entity';

/** The tables of the records a hold can name (the kinds retention erases). */
const TABLES: Record<RetentionKind, string> = { incident: 'incidents', alert: 'alerts' };

export type PlaceHoldResult = LegalHold | 'missing' | 'already-held';

/** Legal holds: retention (RetentionRepository and the erase functions) never erases a held record. */
@Injectable()
export class LegalHoldRepository {
  constructor(private readonly db: TenantDb) {}

  list(scope: TenantScope): Promise<LegalHold[]> {
    return this.db.run(scope, (em) =>
      em.find(LegalHold, { where: { partnershipId: scope.partnershipId }, order: { createdAt: 'DESC' }, take: 500 }),
    );
  }

  place(scope: TenantScope, objectType: RetentionKind, objectId: string, reason: string): Promise<PlaceHoldResult> {
    return this.db.run(scope, async (em) => {
      const [found] = (await em.query(`SELECT 1 FROM ${TABLES[objectType]} WHERE id = $1 AND partnership_id = $2`, [
        objectId,
        scope.partnershipId,
      ])) as unknown[];
      if (!found) {
        return 'missing';
      }
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(LegalHold)
        .values({ partnershipId: scope.partnershipId, objectType, objectId, reason, placedBy: scope.actorId })
        .orIgnore()
        .returning('id')
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      return id ? em.findOneByOrFail(LegalHold, { id }) : 'already-held';
    });
  }

  /** Removes a hold; retention erases the record on its next run if it is past its period. */
  release(scope: TenantScope, id: string): Promise<LegalHold | null> {
    return this.db.run(scope, async (em) => {
      const hold = await em.findOneBy(LegalHold, { id, partnershipId: scope.partnershipId });
      if (hold) {
        await em.delete(LegalHold, { id });
      }
      return hold;
    });
  }
}
