import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';

/**
 * The only way repositories open transactions on tenant data. Sets `app.partnership_id` for the
 * transaction so row-level security guards the tenant boundary a second time.
 */
@Injectable()
export class TenantDb {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(scope: Pick<TenantScope, 'partnershipId'>, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('app.partnership_id', $1, true)`, [scope.partnershipId]);
      return work(em);
    });
  }
}

/**
 * Cross-tenant transactions for system work (login lookup, worker jobs, retention). Sets
 * `app.system` so the policies admit every partnership; never used with a request's scope.
 */
@Injectable()
export class SystemDb {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('app.system', 'on', true)`);
      return work(em);
    });
  }
}
