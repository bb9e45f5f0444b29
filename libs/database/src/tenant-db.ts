import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import { type DataSource, type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { TenantScope } from '@app/auth';
import { AppConfig } from '@app/config';
import { chainAccessLog } from './access-log-chain';
import { flushStagedWrites, openStage } from './staged-writes';

/** The transaction's connection died (server stopped, network cut): nothing was committed by it. */
export class DatabaseConnectionLost extends Error {
  constructor(cause: unknown) {
    super('Connection terminated during a transaction', { cause });
    this.name = 'DatabaseConnectionLost';
  }
}

/**
 * Sends two statements in one socket write, the second before the first is answered (pg's
 * pipeline mode, for these two only: COPY and cursors cannot run pipelined), and waits for both; a
 * failure of the first is the cause of the second's. Each write costs the api and PostgreSQL a
 * wake-up on a busy machine (bench/PROFILE.md, section 15). `submit` must write both at once (a
 * statement on a held connection does, see namedQuery).
 */
async function pipelined<A, B>(client: PoolClient, submit: () => [Promise<A>, Promise<B>]): Promise<[A, B]> {
  const pg = client as unknown as { pipeline: boolean; connection: { stream: Writable } };
  pg.pipeline = true;
  try {
    pg.connection.stream.cork();
    let sent: [Promise<A>, Promise<B>];
    try {
      sent = submit();
    } finally {
      pg.connection.stream.uncork();
    }
    const [a, b] = await Promise.allSettled(sent);
    if (a.status === 'rejected') {
      throw a.reason;
    }
    if (b.status === 'rejected') {
      throw b.reason;
    }
    return [a.value, b.value];
  } finally {
    // never back in the pool in pipeline mode, where COPY and cursors fail
    pg.pipeline = false;
  }
}

/**
 * One transaction on a connection of its own:
 * - begun with its settings (`set_config(…, true)`) and its first statement in one write;
 * - the staged bookkeeping writes (access log, outbox, idempotent response) flushed as one
 *   statement, sent in one write with COMMIT, and its access-log rows chained once the connection
 *   is back in the pool (never two connections held at once);
 * - the connection watched: when the server drops it mid-transaction, pg's 'error' event releases
 *   the runner and the next statement fails with QueryRunnerAlreadyReleasedError, a symptom that
 *   reads like a bug, so the cause is reported instead (DatabaseConnectionLost).
 */
class Transaction {
  private readonly runner: PostgresQueryRunner;
  private client?: PoolClient;
  private lost: unknown;
  private audited: string[] = [];
  private readonly onError = (err: unknown): void => {
    this.lost ??= err;
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly chainsAfterCommit: boolean,
  ) {
    this.runner = dataSource.createQueryRunner() as PostgresQueryRunner;
  }

  static async run<T>(
    dataSource: DataSource,
    chainsAfterCommit: boolean,
    settings: Record<string, string>,
    work: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    const tx = new Transaction(dataSource, chainsAfterCommit);
    let result: T;
    try {
      result = await work((await tx.begin(settings)).em);
      await tx.commit();
    } catch (err) {
      throw await tx.fail(err);
    } finally {
      await tx.release();
    }
    await tx.chainAudited();
    return result;
  }

  /** `first`: the transaction's first statement, sent with BEGIN (it must write at once, see namedQuery). */
  async begin<B>(
    settings: Record<string, string>,
    first?: (em: EntityManager) => Promise<B>,
  ): Promise<{ em: EntityManager; begun: B | undefined }> {
    const client = (this.client = (await this.runner.connect()) as PoolClient);
    client.on('error', this.onError);
    // Simple-protocol text, so the values are quoted by pg's escapeLiteral (a UUID, a duration).
    const set = Object.entries(settings)
      .map(
        ([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true)`,
      )
      .join(', ');
    // TypeORM's save() starts (and commits) a transaction of its own unless it sees this one
    this.runner.isTransactionActive = true;
    // BEGIN, COMMIT and ROLLBACK straight on the connection: TypeORM's query wrapper around them
    // was 7% of the api's CPU under D1 (bench/PROFILE.md)
    const em = this.runner.manager;
    openStage(em);
    const [, begun] = await pipelined(client, () => [
      client.query(`BEGIN; SELECT ${set}`),
      first ? first(em) : Promise.resolve(undefined),
    ]);
    return { em, begun };
  }

  async commit(): Promise<void> {
    if (this.runner.isReleased) {
      throw new QueryRunnerAlreadyReleasedError();
    }
    const client = this.client!;
    // A failed flush aborts the transaction, and the COMMIT behind it then only ends it.
    const [audited] = await pipelined(client, () => [
      flushStagedWrites(this.runner.manager),
      client.query('COMMIT'),
    ]);
    this.runner.isTransactionActive = false;
    this.audited = audited;
  }

  /** After release: the committed access-log rows join their chains before the caller answers. */
  async chainAudited(): Promise<void> {
    if (!this.chainsAfterCommit) {
      return;
    }
    await Promise.all(this.audited.map((p) => chainAccessLog(this.dataSource, p)));
  }

  /** Rolls back; returns the error to throw (the lost connection, if that was the cause). */
  async fail(err: unknown): Promise<unknown> {
    if (this.runner.isTransactionActive) {
      this.runner.isTransactionActive = false;
      if (this.client && !this.runner.isReleased) {
        await this.client.query('ROLLBACK').catch(() => undefined);
      }
    }
    return this.lost === undefined ? err : new DatabaseConnectionLost(this.lost);
  }

  async release(): Promise<void> {
    this.client?.off('error', this.onError);
    await this.runner.release();
  }
}

/** False only in the negative control TEST_DEFECTS=access-log-chained-late. */
const chainsAfterCommit = (config?: AppConfig): boolean =>
  !config?.testDefects.has('access-log-chained-late');

/** The unit of work a call runs in, if any (see TenantDb.unitOfWork): its transaction, opened on first use. */
const ambient = new AsyncLocalStorage<{ partnershipId: string; open: () => Promise<EntityManager> }>();

/** The tenant setting (and a lock timeout) a tenant transaction begins with. */
function tenantSettings(partnershipId: string, lockTimeoutMs?: number): Record<string, string> {
  return {
    'app.partnership_id': partnershipId,
    ...(lockTimeoutMs === undefined ? {} : { lock_timeout: `${lockTimeoutMs}ms` }),
  };
}

/**
 * The only way repositories open transactions on tenant data. Sets `app.partnership_id` for the
 * transaction so row-level security guards the tenant boundary a second time.
 */
@Injectable()
export class TenantDb {
  private readonly chainsAfterCommit: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() config?: AppConfig,
  ) {
    this.chainsAfterCommit = chainsAfterCommit(config);
  }

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
    return Transaction.run(
      this.dataSource,
      this.chainsAfterCommit,
      tenantSettings(scope.partnershipId, opts.lockTimeoutMs),
      work,
    );
  }

  /**
   * Chains the partnership's committed access-log rows now: readers of the log call it first, so
   * they see rows committed by a process that stopped before chaining them.
   */
  chainAccessLog(scope: Pick<TenantScope, 'partnershipId'>): Promise<void> {
    return chainAccessLog(this.dataSource, scope.partnershipId);
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
    const tx = new Transaction(this.dataSource, this.chainsAfterCommit);
    let opened: Promise<{ em: EntityManager; begun: B }> | undefined;
    const open = () =>
      (opened ??= tx.begin(tenantSettings(scope.partnershipId, opts.lockTimeoutMs), begin) as Promise<{
        em: EntityManager;
        begun: B;
      }>);
    let result: T;
    try {
      result = await ambient.run(
        { partnershipId: scope.partnershipId, open: async () => (await open()).em },
        () => work(open),
      );
      if (opened) {
        await tx.commit();
      }
    } catch (err) {
      throw await tx.fail(err);
    } finally {
      await tx.release();
    }
    await tx.chainAudited();
    return result;
  }
}

/**
 * Cross-tenant transactions for system work (login lookup, worker jobs, retention). Sets
 * `app.system` so the policies admit every partnership; never used with a request's scope.
 */
@Injectable()
export class SystemDb {
  private readonly chainsAfterCommit: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() config?: AppConfig,
  ) {
    this.chainsAfterCommit = chainsAfterCommit(config);
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return Transaction.run(this.dataSource, this.chainsAfterCommit, { 'app.system': 'on' }, work);
  }
}
