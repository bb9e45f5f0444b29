import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { MemberBusiness } from './entities/member-business.entity';
import { type Page, type PageRequest, paginate, TenantDb } from '@app/database';

@Injectable()
export class MemberBusinessRepository {
  constructor(private readonly db: TenantDb) {}

  findPage(scope: TenantScope, page: PageRequest): Promise<Page<MemberBusiness>> {
    return this.db.run(scope, (em) =>
      paginate(
        em
          .createQueryBuilder(MemberBusiness, 'b')
          .where('b.partnership_id = :pid', { pid: scope.partnershipId }),
        page,
      ),
    );
  }

  findById(scope: TenantScope, id: string): Promise<MemberBusiness | null> {
    return this.db.run(scope, (em) =>
      em.findOneBy(MemberBusiness, { id, partnershipId: scope.partnershipId }),
    );
  }

  create(scope: TenantScope, name: string): Promise<MemberBusiness> {
    return this.db.run(scope, async (em) => {
      const { identifiers } = await em.insert(MemberBusiness, { name, partnershipId: scope.partnershipId });
      return em.findOneByOrFail(MemberBusiness, { id: identifiers[0].id as string });
    });
  }

  /** null when it is not a member business of the caller's partnership */
  rename(scope: TenantScope, id: string, name: string): Promise<MemberBusiness | null> {
    return this.db.run(scope, async (em) => {
      const where = { id, partnershipId: scope.partnershipId };
      await em.update(MemberBusiness, where, { name });
      return em.findOneBy(MemberBusiness, where);
    });
  }
}
