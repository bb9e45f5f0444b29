// .env for npm start: a copy of .env.example whose example JWT_SECRET is replaced by a random one.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const EXAMPLE_SECRET = /^JWT_SECRET=dev-only-secret-change-me-dev-only-secret-change-me$/m;

/**
 * Creates `<dir>/.env` from `<dir>/.env.example` with a random JWT_SECRET, or replaces the example
 * secret in an existing .env (from before this step). Returns what it did, or null.
 */
export function ensureEnvFile(dir) {
  const envPath = join(dir, '.env');
  const existed = existsSync(envPath);
  const text = readFileSync(existed ? envPath : join(dir, '.env.example'), 'utf8');
  if (existed && !EXAMPLE_SECRET.test(text)) return null;
  const line = `JWT_SECRET=${randomBytes(32).toString('base64url')}`;
  writeFileSync(envPath, text.replace(existed ? EXAMPLE_SECRET : /^JWT_SECRET=.*$/m, line), { mode: 0o600 });
  return existed ? 'replaced the example JWT_SECRET in .env with a random one' : 'created .env with a random JWT_SECRET';
}
