import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AppConfig } from '@app/config';

const root = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run bootstrap -- <args>` as a partnership runs it (the same entry file, in its own process),
 * against a test database: a partnership and its first admin, without demo data.
 */
export function runBootstrap(config: AppConfig, args: string[]): Promise<CommandResult> {
  return run(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/cli/bootstrap.ts', ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: config.db.url,
        DATABASE_MIGRATION_URL: config.db.migrationUrl,
        REDIS_URL: config.redis.url,
        ARGON2_MEMORY_KIB: String(config.auth.argon2MemoryKib),
      },
    },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: CommandResult) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** The first admin's password, printed once by the bootstrap command. */
export const bootstrapPassword = (stdout: string) => /password: (\S+)/.exec(stdout)?.[1];
