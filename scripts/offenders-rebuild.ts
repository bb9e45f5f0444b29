// Recomputes every subject's aggregates and serial flag from the incidents (after a rule or
// setting change): `npm run offenders:rebuild`. One short transaction per subject, in keyset
// batches, so reporting carries on; new flags raise their radio alert as the worker would.
// `npm run offenders:rebuild -- --commence s22a.repeal 2027-04-01` first sets an admin-set
// commencement date (England and Wales) in the legal rules, then rebuilds.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { OffendersModule, SerialOffenderRepository } from '@app/offenders';
import { ALL_ENTITIES } from '@app/schema';

@Module({
  imports: [ConfigModule.forRoot(AppConfig.fromProcess()), DatabaseModule.forRoot(ALL_ENTITIES), OffendersModule],
})
class RebuildModule {}

const COMMENCEMENTS = ['s22a.repeal', 'retail_worker_offence'];

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(RebuildModule, { logger: ['error', 'warn'] });
  try {
    const args = process.argv.slice(2);
    const at = args.indexOf('--commence');
    if (at >= 0) {
      const [key, date] = [args[at + 1], args[at + 2]];
      if (!COMMENCEMENTS.includes(key) || !/^\d{4}-\d{2}-\d{2}$/.test(date ?? '')) {
        throw new Error(`usage: --commence <${COMMENCEMENTS.join('|')}> YYYY-MM-DD`);
      }
      // Applies only to conduct on or after the date; s.22A ends where its repeal starts.
      await app.get(DataSource).transaction(async (em) => {
        await em.query(`SELECT set_config('app.system', 'on', true)`);
        await em.query(
          `UPDATE legal_rules SET effective_from = $2, updated_at = now() WHERE jurisdiction = 'england_wales' AND key = $1 AND admin_set`,
          [key, date],
        );
        if (key === 's22a.repeal') {
          await em.query(
            `UPDATE legal_rules SET effective_to = $1, updated_at = now() WHERE jurisdiction = 'england_wales' AND key = 's22a.threshold_pence'`,
            [date],
          );
        }
      });
      process.stdout.write(`set ${key} to commence on ${date}\n`);
    }
    const result = await app
      .get(SerialOffenderRepository)
      .rebuild((done) => process.stdout.write(`rebuilt ${done} subjects\n`));
    process.stdout.write(`done: ${result.subjects} subjects, ${result.flagsCreated} new flags\n`);
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
