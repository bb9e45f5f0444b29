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

  /**
   * `lockTimeoutMs` starts the transaction with that `lock_timeout` (in the same statement as the
   * tenant, to save a round trip); whoever asks for it resets it once past the contended write.
   */
  run<T>(
    scope: Pick<TenantScope, 'partnershipId'>,
    work: (em: EntityManager) => Promise<T>,
    opts: { lockTimeoutMs?: number } = {},
  ): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await (opts.lockTimeoutMs === undefined
        ? em.query(`SELECT set_config('app.partnership_id', $1, true)`, [scope.partnershipId])
        : em.query(
            `SELECT set_config('app.partnership_id', $1, true), set_config('lock_timeout', $2, true)`,
            [scope.partnershipId, `${opts.lockTimeoutMs}ms`],
          ));
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
