import type { Client } from 'pg';

/**
 * The row-level-security probe (S1b and test/system/row-level-security): one tenant table at a
 * time, each in a transaction of its own on the app role's connection, so one failing query can
 * never turn the tables after it into silent zeros. A query error rejects: it is never 0 leaks.
 */
export interface RlsProbe {
  table: string;
  /** the app role holds SELECT on it; without, no row can leak through a read (counted, not assumed) */
  readable: boolean;
  /** rows of other partnerships, counted as the owner (who is not subject to RLS) */
  foreignRows: number;
  /** rows the app role sees with no partnership set */
  visibleWithoutTenant: number;
  /** rows of other partnerships the app role sees with the home partnership set */
  leaked: number;
}

/** SQL as the table owner, answering rows (a DataSource's query, or a Client's rows). */
export type OwnerQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

/** `partnerships` is keyed by its id; every other tenant table by partnership_id. */
const tenantColumn = (table: string) => (table === 'partnerships' ? 'id' : 'partnership_id');

/** Every table that holds a partnership's rows, from the catalog. */
export async function tenantTables(owner: OwnerQuery): Promise<string[]> {
  const rows: { relname: string }[] = await owner(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND (c.relname = 'partnerships' OR EXISTS (
                SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attname = 'partnership_id' AND NOT a.attisdropped))
        ORDER BY 1`,
  );
  return rows.map((r) => r.relname);
}

/** Probes one table: the owner's count of foreign rows, then the app role's view in two transactions. */
export async function probeTable(
  owner: OwnerQuery,
  app: Client,
  table: string,
  home: string,
): Promise<RlsProbe> {
  const column = tenantColumn(table);
  const quoted = `"${table.replace(/"/g, '""')}"`;
  const [{ n: foreignRows }] = await owner(`SELECT count(*)::int AS n FROM ${quoted} WHERE ${column} <> $1`, [
    home,
  ]);
  const [{ readable }] = (
    await app.query(`SELECT has_table_privilege(current_user, $1::regclass, 'SELECT') AS readable`, [quoted])
  ).rows;
  if (!readable) {
    return { table, readable, foreignRows, visibleWithoutTenant: 0, leaked: 0 };
  }
  const inTransaction = async (tenant: string | null, sql: string, params: unknown[]): Promise<number> => {
    await app.query('BEGIN');
    try {
      if (tenant) {
        await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [tenant]);
      }
      return (await app.query(sql, params)).rows[0].n as number;
    } finally {
      await app.query('ROLLBACK');
    }
  };
  const visibleWithoutTenant = await inTransaction(null, `SELECT count(*)::int AS n FROM ${quoted}`, []);
  const leaked = await inTransaction(home, `SELECT count(*)::int AS n FROM ${quoted} WHERE ${column} <> $1`, [
    home,
  ]);
  return { table, readable, foreignRows, visibleWithoutTenant, leaked };
}
