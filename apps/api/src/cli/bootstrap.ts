// Creates a partnership and its first admin, without demo data, and prints the admin's password
// once: `npm run bootstrap -- --name "Riverside BCRP" --slug riverside --police-force-area
// "Thames Valley Police" --jurisdiction england_wales --region "South East" --admin-email
// admin@riverside.example --admin-name "Jo Admin"`. Run after the migrations (npm run db:migrate).
// With --if-absent, a partnership that already exists is left as it is and the run succeeds (the
// compose file runs it at every start); without it, that is refused.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '@app/auth';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/database';
import { type BootstrapSpec, BootstrapRefused, bootstrapPartnership, bootstrapProblems } from '@app/identity';
import { type Jurisdiction, Partnership } from '@app/partnerships';
import { ALL_ENTITIES } from '@app/schema';

const OPTIONS = {
  name: { type: 'string' },
  slug: { type: 'string' },
  'police-force-area': { type: 'string' },
  jurisdiction: { type: 'string', default: 'england_wales' },
  region: { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-name': { type: 'string' },
  'if-absent': { type: 'boolean', default: false },
} as const;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: OPTIONS, strict: true });
  const spec: Partial<BootstrapSpec> = {
    name: values.name,
    slug: values.slug,
    policeForceArea: values['police-force-area'],
    jurisdiction: values.jurisdiction as Jurisdiction,
    region: values.region,
    adminEmail: values['admin-email'],
    adminName: values['admin-name'],
  };
  const problems = bootstrapProblems(spec);
  if (problems.length) {
    process.stderr.write(`bootstrap: ${problems.join('\nbootstrap: ')}\n`);
    return 2;
  }
  const config = AppConfig.fromProcess();
  const ds = new DataSource(dataSourceOptions(config, { asOwner: true, entities: ALL_ENTITIES }));
  await ds.initialize();
  try {
    if (values['if-absent'] && (await ds.manager.existsBy(Partnership, { slug: spec.slug }))) {
      process.stdout.write(`bootstrap: partnership "${spec.slug}" already exists; nothing to do\n`);
      return 0;
    }
    const hasher = new PasswordHasher(config);
    const made = await ds.transaction((em) =>
      bootstrapPartnership(em, (p) => hasher.hash(p), spec as BootstrapSpec),
    );
    process.stdout.write(
      [
        `Partnership "${spec.name}" created (${made.partnershipId}).`,
        'Its first admin can sign in now. The password is shown this once and stored only as a hash:',
        `  email:    ${made.adminEmail}`,
        `  password: ${made.password}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (err instanceof BootstrapRefused) {
      process.stderr.write(`bootstrap: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bootstrap failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
