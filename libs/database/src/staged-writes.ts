import type { EntityManager, QueryRunner } from 'typeorm';

/**
 * A write whose result nobody reads in the transaction (an access-log row, an outbox message, the
 * idempotent response): its SQL, with `param(value)` giving each value's placeholder.
 */
export type StagedWrite = (param: (value: unknown) => string) => string;

const stages = new WeakMap<QueryRunner, StagedWrite[]>();

/** Called by whoever opens a transaction and will call `flushStagedWrites` before committing it. */
export function openStage(em: EntityManager): void {
  stages.set(em.queryRunner!, []);
}

/**
 * Runs `write` with the transaction's other staged writes, as one statement just before it commits
 * (TenantDb and SystemDb transactions), or at once where nobody flushes (any other transaction).
 */
export async function stageWrite(em: EntityManager, write: StagedWrite): Promise<void> {
  const stage = em.queryRunner && stages.get(em.queryRunner);
  if (stage) {
    stage.push(write);
    return;
  }
  await run(em, [write]);
}

/** The staged writes as one statement (data-modifying CTEs); a failure rolls the transaction back. */
export async function flushStagedWrites(em: EntityManager): Promise<void> {
  const stage = stages.get(em.queryRunner!);
  if (stage?.length) {
    await run(em, stage.splice(0));
  }
}

function run(em: EntityManager, writes: StagedWrite[]): Promise<unknown> {
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const sql = writes.map((w) => w(param));
  const last = sql.pop()!;
  const statement = sql.length ? `WITH ${sql.map((s, i) => `w${i} AS (${s})`).join(', ')} ${last}` : last;
  return em.query(statement, params);
}
