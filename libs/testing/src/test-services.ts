import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** The test profile's URLs (scripts/services.mjs owns the ports). */
export function testServiceUrls(): {
  DATABASE_URL: string;
  DATABASE_MIGRATION_URL: string;
  REDIS_URL: string;
} {
  const out = execFileSync('node', [join(ROOT, 'scripts/services.mjs'), 'env', '--profile', 'test'], {
    encoding: 'utf8',
  });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  ) as never;
}

/** Starts (or reuses) the test profile's PostgreSQL and Redis. */
export function ensureTestServices(): void {
  execFileSync('node', [join(ROOT, 'scripts/services.mjs'), 'up', '--profile', 'test'], { stdio: 'inherit' });
}
