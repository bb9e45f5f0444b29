// jest runs this file outside its module map: the @app/* paths come from tsconfig.json (on Node 20
// ts-node registered them as a side effect of loading jest.config.ts; Node 22 loads that natively).
import 'tsconfig-paths/register';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { ensureTestServices, testConfig, withAdminClient } from '@app/testing';

/**
 * Starts the test services and builds `hub_template_<hash of migrations>` once: migrated, checked for
 * pending schema changes, then copied per test file.
 */
export default async function globalSetup(): Promise<void> {
  ensureTestServices();
  const dir = join(__dirname, '..', 'libs/database/src');
  const files = [
    join(dir, 'migrations-rls.ts'),
    ...readdirSync(join(dir, 'migrations'))
      .sort()
      .map((f) => join(dir, 'migrations', f)),
  ];
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(f).update(readFileSync(f));
  }
  for (const f of readdirSync(join(dir, 'entities')).sort()) {
    hash.update(readFileSync(join(dir, 'entities', f)));
  }
  const template = `hub_template_${hash.digest('hex').slice(0, 16)}`;
  process.env.HUB_TEST_TEMPLATE = template;

  const exists = await withAdminClient(
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount,
  );
  if (exists) {
    return;
  }
  const building = `${template}_b${process.pid}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${building} OWNER hub_owner`));
  const ds = new DataSource(dataSourceOptions(testConfig(building), { asOwner: true, entities: ALL_ENTITIES }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    // Equivalent of `typeorm migration:generate --check`: entities and migrations must agree.
    const pending = await ds.driver.createSchemaBuilder().log();
    if (pending.upQueries.length) {
      throw new Error(
        `Entities and migrations disagree; add a migration (npm run db:generate -- <Name>):\n${pending.upQueries.map((q) => q.query).join('\n')}`,
      );
    }
  } finally {
    await ds.destroy();
  }
  await withAdminClient(async (c) => {
    try {
      await c.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    } catch {
      // another run built it first
      await c.query(`DROP DATABASE IF EXISTS ${building}`);
    }
  });
}
