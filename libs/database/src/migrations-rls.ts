import type { QueryRunner } from 'typeorm';

/** The role the apps connect as: owns nothing, so row-level security applies to it. */
export const APP_ROLE = 'hub_app';

const tenantPredicate = (column: string) =>
  `${column} = nullif(current_setting('app.partnership_id', true), '')::uuid OR current_setting('app.system', true) = 'on'`;

/** Grants the app role its privileges on a tenant table and turns on the tenant policy. */
export async function enableTenantRls(
  qr: QueryRunner,
  table: string,
  opts: { column?: string; privileges?: string } = {},
): Promise<void> {
  const column = opts.column ?? 'partnership_id';
  await qr.query(`GRANT ${opts.privileges ?? 'SELECT, INSERT, UPDATE, DELETE'} ON "${table}" TO ${APP_ROLE}`);
  await qr.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await qr.query(
    `CREATE POLICY "${table}_tenant" ON "${table}" USING (${tenantPredicate(column)}) WITH CHECK (${tenantPredicate(column)})`,
  );
}

/** Reverses enableTenantRls. */
export async function disableTenantRls(qr: QueryRunner, table: string): Promise<void> {
  await qr.query(`DROP POLICY IF EXISTS "${table}_tenant" ON "${table}"`);
  await qr.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
  await qr.query(`REVOKE ALL ON "${table}" FROM ${APP_ROLE}`);
}
