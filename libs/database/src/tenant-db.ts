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

/** The unit of work a call runs in, if any (see TenantDb.unitOfWork): its transaction, opened on first use. */
const ambient = new AsyncLocalStorage<{ partnershipId: string; open: () => Promise<EntityManager> }>();

/** Sets the open transaction's tenant (and a lock timeout, in the same statement). */
async function setTenant(em: EntityManager, partnershipId: string, lockTimeoutMs?: number): Promise<void> {
  await (lockTimeoutMs === undefined
    ? em.query(`SELECT set_config('app.partnership_id', $1, true)`, [partnershipId])
    : em.query(`SELECT set_config('app.partnership_id', $1, true), set_config('lock_timeout', $2, true)`, [
        partnershipId,
        `${lockTimeoutMs}ms`,
      ]));
}

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
  async run<T>(
    scope: Pick<TenantScope, 'partnershipId'>,
    work: (em: EntityManager) => Promise<T>,
    opts: { lockTimeoutMs?: number } = {},
  ): Promise<T> {
    const outer = ambient.getStore();
    if (outer) {
      if (outer.partnershipId !== scope.partnershipId) {
        throw new Error('A unit of work cannot span two partnerships');
      }
      return work(await outer.open());
    }
    return watchedTransaction(this.dataSource, async (em) => {
      await setTenant(em, scope.partnershipId, opts.lockTimeoutMs);
      return work(em);
    });
  }

  /**
   * One transaction that every `run` inside `work` joins, however deep: the idempotent POSTs use it
   * so the key, the change and the recorded response commit (or roll back) together. It opens at
   * the first `run` (or `open()`), so validation and pure rules before it hold no connection;
   * `begin` is its first write (the idempotency claim), and its result is what `open()` gives.
   */
  async unitOfWork<B, T>(
    scope: Pick<TenantScope, 'partnershipId'>,
    begin: (em: EntityManager) => Promise<B>,
    work: (open: () => Promise<{ em: EntityManager; begun: B }>) => Promise<T>,
    opts: { lockTimeoutMs?: number } = {},
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let opened: Promise<{ em: EntityManager; begun: B }> | undefined;
    let client: NodeJS.EventEmitter | undefined;
    let lost: unknown;
    const onError = (err: unknown): void => {
      lost ??= err;
    };
    const open = () =>
      (opened ??= (async () => {
        client = (await runner.connect()) as NodeJS.EventEmitter;
        client.on('error', onError);
        await runner.startTransaction();
        await setTenant(runner.manager, scope.partnershipId, opts.lockTimeoutMs);
        return { em: runner.manager, begun: await begin(runner.manager) };
      })());
    try {
      const result = await ambient.run(
        { partnershipId: scope.partnershipId, open: async () => (await open()).em },
        () => work(open),
      );
      if (opened) {
        await runner.commitTransaction();
      }
      return result;
    } catch (err) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      throw lost === undefined ? err : new DatabaseConnectionLost(lost);
    } finally {
      client?.off('error', onError);
      await runner.release();
    }
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
