import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { Partnership } from './entities/partnership.entity';
import { TenantDb } from '@app/database';

@Injectable()
export class PartnershipRepository {
  constructor(private readonly db: TenantDb) {}

  findCurrent(scope: TenantScope): Promise<Partnership | null> {
    return this.db.run(scope, (em) => em.findOneBy(Partnership, { id: scope.partnershipId }));
  }
}
