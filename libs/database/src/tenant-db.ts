import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';

/** The transaction's connection died (server stopped, network cut): nothing was committed by it. */
export class DatabaseConnectionLost extends Error {
  constructor(cause: unknown) {
    super('Connection terminated during a transaction', { cause });
    this.name = 'DatabaseConnectionLost';
  }
}

/**
 * One transaction, with the connection watched: when the server drops it mid-transaction, TypeORM
 * releases the query runner from pg's 'error' event, and the next statement fails with
 * QueryRunnerAlreadyReleasedError, a symptom that reads like a bug. The watch reports the cause.
 */
function watchedTransaction<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (em) => {
    const client = (await em.queryRunner!.connect()) as NodeJS.EventEmitter;
    let lost: unknown;
    const onError = (err: unknown): void => {
      lost ??= err;
    };
    client.on('error', onError);
    try {
      return await work(em);
    } catch (err) {
      throw lost === undefined ? err : new DatabaseConnectionLost(lost);
    } finally {
      client.off('error', onError);
    }
  });
}

/** The transaction of the unit of work this call runs in, if any (see TenantDb.unitOfWork). */
const ambient = new AsyncLocalStorage<{ partnershipId: string; em: EntityManager }>();

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
    const outer = ambient.getStore();
    if (outer) {
      if (outer.partnershipId !== scope.partnershipId) {
        throw new Error('A unit of work cannot span two partnerships');
      }
      return work(outer.em);
    }
    return watchedTransaction(this.dataSource, async (em) => {
      await (opts.lockTimeoutMs === undefined
        ? em.query(`SELECT set_config('app.partnership_id', $1, true)`, [scope.partnershipId])
        : em.query(
            `SELECT set_config('app.partnership_id', $1, true), set_config('lock_timeout', $2, true)`,
            [scope.partnershipId, `${opts.lockTimeoutMs}ms`],
          ));
      return work(em);
    });
  }

  /**
   * One transaction that every `run` inside `work` joins, however deep: the idempotent POSTs use it
   * so the key, the change and the recorded response commit (or roll back) together.
   */
  unitOfWork<T>(
    scope: Pick<TenantScope, 'partnershipId'>,
    work: (em: EntityManager) => Promise<T>,
    opts: { lockTimeoutMs?: number } = {},
  ): Promise<T> {
    return this.run(
      scope,
      (em) => ambient.run({ partnershipId: scope.partnershipId, em }, () => work(em)),
      opts,
    );
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
    return watchedTransaction(this.dataSource, async (em) => {
      await em.query(`SELECT set_config('app.system', 'on', true)`);
      return work(em);
    });
  }
}
