import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_QUEUE, JobName, SCHEDULES } from './jobs';

const MIGRATIONS = join(__dirname, '../../database/src/migrations');

/** Job names that SQL writes into the outbox itself (triggers and functions in migrations). */
function jobNamesInSql(): { file: string; name: string }[] {
  return readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(MIGRATIONS, file), 'utf8').matchAll(/'job',\s*'([a-z0-9-]+)'/g)].map((m) => ({
        file,
        name: m[1],
      })),
    );
}

describe('job names', () => {
  it('finds the outbox writes in the migrations (the scan itself works)', () => {
    expect(jobNamesInSql().map((j) => j.name)).toContain(JobName.RefreshSubject);
  });

  it('declares every job name the migrations write into the outbox', () => {
    const declared = new Set<string>(Object.values(JobName));
    expect(jobNamesInSql().filter((j) => !declared.has(j.name))).toEqual([]);
  });

  it('schedules only declared jobs, each on its queue', () => {
    for (const name of Object.keys(SCHEDULES)) {
      expect(Object.values(JobName)).toContain(name);
      expect(JOB_QUEUE[name as JobName]).toBeDefined();
    }
  });
});
