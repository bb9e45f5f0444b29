/* Seeds the demo partnership when the database has none: `npm run db:seed` (run by npm start). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '@app/auth';
import { AppConfig } from '@app/config';
import { dataSourceOptions, Jurisdiction, Partnership } from '@app/database';
import { createPartnership } from '@app/testing';

// Kept in step with scripts/demo-logins.mjs, which npm start prints.
const DEMO_PASSWORD = 'demo-password-2026';
const DEMO_DOMAIN = 'riverside.demo';

async function main(): Promise<void> {
  const config = AppConfig.fromProcess();
  const ds = new DataSource(dataSourceOptions(config, true));
  await ds.initialize();
  try {
    if (await ds.manager.count(Partnership)) {
      process.stdout.write('demo seed: database already has data; nothing to do\n');
      return;
    }
    const hasher = new PasswordHasher(config);
    await ds.transaction(async (em) => {
      await createPartnership(em, (p) => hasher.hash(p), {
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
    });
    process.stdout.write('demo seed: created the Riverside and Northgate partnerships\n');
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
