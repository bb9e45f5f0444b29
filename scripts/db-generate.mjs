#!/usr/bin/env node
// Generates a migration from the entities: `npm run db:generate -- AddExclusionExpiry`.
// Runs against a scratch database migrated to the current head, so nothing else leaks in.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serviceUrls, up } from './services.mjs';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run db:generate -- <VerbNoun>   (e.g. AddExclusionExpiry)');
  process.exit(2);
}
await up('test');
const urls = serviceUrls('test');
const scratch = `gen_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: urls.DATABASE_MIGRATION_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch} OWNER hub_owner`);
const at = (url) => url.replace(/\/hub$/, `/${scratch}`);
const env = {
  ...process.env,
  NODE_ENV: 'test',
  DATABASE_URL: at(urls.DATABASE_URL),
  DATABASE_MIGRATION_URL: at(urls.DATABASE_MIGRATION_URL),
  REDIS_URL: urls.REDIS_URL,
};
const cli = ['typeorm-ts-node-commonjs', '-d', 'libs/schema/src/cli-data-source.ts'];
try {
  execFileSync('npx', [cli[0], 'migration:run', ...cli.slice(1)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync(
    'npx',
    [cli[0], 'migration:generate', ...cli.slice(1), `libs/database/src/migrations/${name}`, '--pretty'],
    { env, stdio: 'inherit' },
  );
  console.log(
    'Now read the SQL, add RLS (enableTenantRls), grants and triggers by hand, and write a down() that reverses it.',
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  await admin.end();
}
