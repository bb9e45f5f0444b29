import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { type DataSource, EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

const names = new Map<string, string>();

/** A statement's name: its text's hash, so one text is parsed once per connection whoever sends it. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `h${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a hot-path statement as a named prepared statement: PostgreSQL parses and analyses it once
 * per connection, and every later call is one Bind/Execute (TypeORM sends each statement unnamed,
 * so it is parsed and analysed every time). On a transaction's manager it runs on that
 * transaction's connection; otherwise on any pooled connection.
 *
 * For texts of which there are few (each is kept by every connection) and whose plan does not
 * depend on the values: a generic plan must be as good as a custom one.
 */
export async function namedQuery<R extends QueryResultRow>(
  on: EntityManager | DataSource,
  text: string,
  values: unknown[],
): Promise<R[]> {
  return run<R>(on, { name: nameOf(text), text, values });
}

/**
 * namedQuery with each row as an array of its columns, in order: for wide results, where building
 * an object per row (and reading it back by name) is most of the cost.
 */
export async function namedRows(
  on: EntityManager | DataSource,
  text: string,
  values: unknown[],
): Promise<unknown[][]> {
  return run<unknown[]>(on, { name: nameOf(text), text, values, rowMode: 'array' });
}

async function run<R>(
  on: EntityManager | DataSource,
  query: QueryConfig & { rowMode?: 'array' },
): Promise<R[]> {
  const runner = on instanceof EntityManager ? on.queryRunner : undefined;
  if (runner) {
    if (runner.isReleased) {
      throw new QueryRunnerAlreadyReleasedError();
    }
    // On a connection already held the statement is written now, not after a microtask: a
    // transaction can then send it in one write with the next (see `pipelined` in tenant-db.ts).
    const held = (runner as unknown as { databaseConnection?: PoolClient }).databaseConnection;
    const client = held ?? ((await runner.connect()) as PoolClient);
    return client.query(query).then((r) => r.rows as R[]);
  }
  const dataSource = on instanceof EntityManager ? on.connection : on;
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return (await pool.query(query)).rows as R[];
}
