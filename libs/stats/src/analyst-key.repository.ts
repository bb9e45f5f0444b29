import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { TenantDb } from '@app/database';
import { AnalystApiKey, Organisation, OrganisationShare } from './entities/stats.entity';
import { hashApiKey, newApiKeySecret } from './stats.repository';

export interface OrganisationView {
  organisation: Organisation;
  /** whether the caller's partnership shares its statistics with it */
  shared: boolean;
}

/** A partnership's own analyst API keys: issued by its admin, reading only its statistics. */
@Injectable()
export class AnalystKeyRepository {
  constructor(private readonly db: TenantDb) {}

  /** Every organisation (they are not a partnership's), with whether this partnership shares with it. */
  organisations(scope: TenantScope): Promise<OrganisationView[]> {
    return this.db.run(scope, async (em) => {
      const [all, shares] = await Promise.all([
        em.find(Organisation, { order: { name: 'ASC' }, take: 500 }),
        em.findBy(OrganisationShare, { partnershipId: scope.partnershipId }),
      ]);
      const shared = new Set(shares.map((s) => s.organisationId));
      return all.map((organisation) => ({ organisation, shared: shared.has(organisation.id) }));
    });
  }

  list(scope: TenantScope): Promise<AnalystApiKey[]> {
    return this.db.run(scope, (em) =>
      em.find(AnalystApiKey, { where: { partnershipId: scope.partnershipId }, order: { createdAt: 'DESC' }, take: 500 }),
    );
  }

  /** null when the partnership does not share with the organisation (a key would read nothing). */
  issue(
    scope: TenantScope,
    organisationId: string,
    label: string,
  ): Promise<{ key: AnalystApiKey; secret: string } | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(OrganisationShare, { partnershipId: scope.partnershipId, organisationId }))) {
        return null;
      }
      const secret = newApiKeySecret();
      const { identifiers } = await em.insert(AnalystApiKey, {
        organisationId,
        partnershipId: scope.partnershipId,
        label,
        keyHash: hashApiKey(secret),
        scope: 'stats:read',
      });
      return { key: await em.findOneByOrFail(AnalystApiKey, { id: identifiers[0].id as string }), secret };
    });
  }

  /** null when it is not a key of this partnership; revoking twice keeps the first time. */
  revoke(scope: TenantScope, id: string): Promise<AnalystApiKey | null> {
    return this.db.run(scope, async (em) => {
      const where = { id, partnershipId: scope.partnershipId };
      await em.update(AnalystApiKey, { ...where, revokedAt: IsNull() }, { revokedAt: new Date() });
      return em.findOneBy(AnalystApiKey, where);
    });
  }
}
