import type { DataSource } from 'typeorm';

/**
 * A query over `access_log` as the hub's own readers make it: committed rows still pending (their
 * writer answered before its chain batch ran, or stopped first) join the chain before the read.
 */
export async function readAccessLog<T = any>(owner: DataSource, sql: string, params?: unknown[]): Promise<T> {
  await owner.query(
    `SELECT access_log_chain_pending(p) FROM (SELECT DISTINCT partnership_id AS p FROM access_log_pending) x`,
  );
  return owner.query(sql, params);
}
