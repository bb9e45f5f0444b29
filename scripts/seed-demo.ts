/* Seeds the demo partnership when the database has none: `npm run db:seed` (run by npm start). */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '@app/auth';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { ALL_ENTITIES } from '@app/schema';
import { Jurisdiction, Partnership } from '@app/partnerships';
import { copyIncidents } from '@app/synthetic';
import { createPartnership } from '@app/testing';

// Kept in step with scripts/demo-logins.mjs, which npm start prints.
const DEMO_PASSWORD = 'demo-password-2026';
const DEMO_DOMAIN = 'riverside.demo';

async function main(): Promise<void> {
  const config = AppConfig.fromProcess();
  const ds = new DataSource(dataSourceOptions(config, { asOwner: true, entities: ALL_ENTITIES }));
  await ds.initialize();
  try {
    if (await ds.manager.count(Partnership)) {
      process.stdout.write('demo seed: database already has data; nothing to do\n');
      return;
    }
    const hasher = new PasswordHasher(config);
    const riverside = await ds.transaction(async (em) => {
      const created = await createPartnership(em, (p) => hasher.hash(p), {
        name: 'Riverside Business Crime Reduction Partnership',
        slug: 'riverside',
        policeForceArea: 'Thames Valley Police',
        jurisdiction: Jurisdiction.EnglandWales,
        region: 'South East',
        emailDomain: DEMO_DOMAIN,
        password: DEMO_PASSWORD,
      });
      await createPartnership(em, (p) => hasher.hash(p), {
        name: 'Northgate BCRP',
        slug: 'northgate',
        policeForceArea: 'Greater Manchester Police',
        jurisdiction: Jurisdiction.EnglandWales,
        region: 'North West',
        emailDomain: 'northgate.demo',
        password: DEMO_PASSWORD,
      });
      return created;
    });
    // Four months of calibrated synthetic reports, so the statistics and triage have something to show.
    const client = new Client({ connectionString: config.db.migrationUrl });
    await client.connect();
    try {
      const from = new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10);
      await copyIncidents(
        client,
        {
          partnerships: [{ id: riverside.partnershipId, storeIds: riverside.storeIds }],
          reporterId: riverside.users.shopworker.id,
        },
        { seed: 2026, count: 600, from, days: 120 },
      );
    } finally {
      await client.end();
    }
    process.stdout.write(
      'demo seed: created the Riverside (with 600 synthetic reports) and Northgate partnerships\n',
    );
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo seed failed: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
}
