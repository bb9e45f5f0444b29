import type { EntityManager, QueryRunner } from 'typeorm';
import { namedQuery } from './named-query';

/**
 * A write whose result nobody reads in the transaction (an access-log row, an outbox message, the
 * idempotent response): its SQL, with `param(value)` giving each value's placeholder.
 */
export type StagedWrite = (param: (value: unknown) => string) => string;

interface Stage {
  writes: StagedWrite[];
  /** partnerships with access-log rows among the writes: their chain runs after the commit */
  audited: Set<string>;
}

const stages = new WeakMap<QueryRunner, Stage>();

/** Called by whoever opens a transaction and will call `flushStagedWrites` before committing it. */
export function openStage(em: EntityManager): void {
  stages.set(em.queryRunner!, { writes: [], audited: new Set() });
}

/**
 * Runs `write` with the transaction's other staged writes, as one statement just before it commits
 * (TenantDb and SystemDb transactions), or at once where nobody flushes (any other transaction).
 */
export async function stageWrite(
  em: EntityManager,
  write: StagedWrite,
  opts: { auditOf?: string } = {},
): Promise<void> {
  const stage = em.queryRunner && stages.get(em.queryRunner);
  if (stage) {
    stage.writes.push(write);
    if (opts.auditOf) {
      stage.audited.add(opts.auditOf);
    }
    return;
  }
  await run(em, [write]);
}

/**
 * The staged writes as one statement (data-modifying CTEs); a failure rolls the transaction back.
 * Returns the partnerships whose access-log rows it wrote, for `chainAccessLog` after the commit.
 */
export async function flushStagedWrites(em: EntityManager): Promise<string[]> {
  const stage = stages.get(em.queryRunner!);
  if (!stage) {
    return [];
  }
  if (stage.writes.length) {
    await run(em, stage.writes.splice(0));
  }
  const audited = [...stage.audited];
  stage.audited.clear();
  return audited;
}

function run(em: EntityManager, writes: StagedWrite[]): Promise<unknown> {
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const sql = writes.map((w) => w(param));
  const last = sql.pop()!;
  const statement = sql.length ? `WITH ${sql.map((s, i) => `w${i} AS (${s})`).join(', ')} ${last}` : last;
  return namedQuery(em, statement, params);
}
