import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { MemberBusiness } from './entities/member-business.entity';
import { Store } from './entities/store.entity';
import { type Page, type PageRequest, paginate, TenantDb } from '@app/database';

export interface StoreFilter {
  /** limit to one store (shop roles) */
  storeId?: string | null;
  businessId?: string;
}

@Injectable()
export class StoreRepository {
  constructor(private readonly db: TenantDb) {}

  findPage(scope: TenantScope, filter: StoreFilter, page: PageRequest): Promise<Page<Store>> {
    return this.db.run(scope, (em) => {
      const qb = em
        .createQueryBuilder(Store, 's')
        .where('s.partnership_id = :pid', { pid: scope.partnershipId });
      if (filter.storeId) {
        qb.andWhere('s.id = :sid', { sid: filter.storeId });
      }
      if (filter.businessId) {
        qb.andWhere('s.business_id = :bid', { bid: filter.businessId });
      }
      return paginate(qb, page);
    });
  }

  findById(scope: TenantScope, id: string): Promise<Store | null> {
    return this.db.run(scope, (em) => em.findOneBy(Store, { id, partnershipId: scope.partnershipId }));
  }

  create(
    scope: TenantScope,
    data: Omit<Store, 'id' | 'createdAt' | 'updatedAt' | 'partnershipId'>,
  ): Promise<Store | null> {
    return this.db.run(scope, async (em) => {
      const business = await em.findOneBy(MemberBusiness, {
        id: data.businessId,
        partnershipId: scope.partnershipId,
      });
      if (!business) {
        return null;
      }
      const { identifiers } = await em.insert(Store, { ...data, partnershipId: scope.partnershipId });
      return em.findOneByOrFail(Store, { id: identifiers[0].id as string });
    });
  }

  /** Changes a store's details; null when it is not a store of the caller's partnership. */
  update(
    scope: TenantScope,
    id: string,
    data: Partial<Pick<Store, 'name' | 'site' | 'postcode' | 'latitude' | 'longitude'>>,
  ): Promise<Store | null> {
    return this.db.run(scope, async (em) => {
      const where = { id, partnershipId: scope.partnershipId };
      if (Object.keys(data).length) {
        await em.update(Store, where, data);
      }
      return em.findOneBy(Store, where);
    });
  }
}
