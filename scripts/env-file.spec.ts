import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretWeakness } from '@app/config';
import { ensureEnvFile } from './env-file.mjs';

const EXAMPLE = readFileSync(join(__dirname, '../.env.example'), 'utf8');
const secretOf = (text: string) => /^JWT_SECRET=(.*)$/m.exec(text)?.[1];

describe('npm start’s .env', () => {
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'hub-env-'));
    writeFileSync(join(d, '.env.example'), EXAMPLE);
    return d;
  };

  it('is created with a random, strong JWT_SECRET rather than the example’s', () => {
    const [a, b] = [dir(), dir()];
    expect(ensureEnvFile(a)).toMatch(/created/);
    ensureEnvFile(b);
    const env = readFileSync(join(a, '.env'), 'utf8');
    const secret = secretOf(env)!;
    expect(secret).not.toBe(secretOf(EXAMPLE));
    expect(secretWeakness(secret)).toBeNull();
    expect(secretOf(readFileSync(join(b, '.env'), 'utf8'))).not.toBe(secret);
    // every other line is the example's
    expect(env.replace(secret, secretOf(EXAMPLE)!)).toBe(EXAMPLE);
    expect(statSync(join(a, '.env')).mode & 0o077).toBe(0);
  });

  it('replaces the example secret in an older .env and otherwise leaves .env alone', () => {
    const d = dir();
    writeFileSync(join(d, '.env'), EXAMPLE);
    expect(ensureEnvFile(d)).toMatch(/replaced/);
    const once = readFileSync(join(d, '.env'), 'utf8');
    expect(secretWeakness(secretOf(once)!)).toBeNull();
    expect(ensureEnvFile(d)).toBeNull();
    expect(readFileSync(join(d, '.env'), 'utf8')).toBe(once);
  });
});
