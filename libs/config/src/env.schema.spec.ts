import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, ConfigError } from './app-config';
import { EnvSchema } from './env.schema';

const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
const exampleVars = Object.fromEntries(
  example
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => l.split(/=(.*)/s).slice(0, 2)),
) as Record<string, string>;

describe('configuration', () => {
  it('.env.example lists exactly the variables of the schema', () => {
    expect(Object.keys(exampleVars).sort()).toEqual(Object.keys(new EnvSchema()).sort());
  });

  it('DEVELOPMENT.md documents every variable', () => {
    const doc = readFileSync(join(__dirname, '../../../DEVELOPMENT.md'), 'utf8');
    expect(Object.keys(new EnvSchema()).filter((k) => !doc.includes(`\`${k}\``))).toEqual([]);
  });

  it('every variable in .env.example has a comment line above it', () => {
    const lines = example.split('\n');
    lines.forEach((l, i) => {
      if (/^[A-Z0-9_]+=/.test(l) && !/^[A-Z0-9_]+=/.test(lines[i - 1] ?? '')) {
        expect(lines[i - 1]).toMatch(/^#/);
      }
    });
  });

  it('accepts .env.example as it is', () => {
    expect(AppConfig.from(exampleVars).http.port).toBe(3000);
  });

  it('names every bad or missing variable in one message', () => {
    const bad = { ...exampleVars, DATABASE_URL: 'mysql://x', API_PORT: 'eighty', REDIS_URL: '' };
    try {
      AppConfig.from(bad);
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('API_PORT');
      expect(msg).toContain('REDIS_URL');
    }
  });

  it('refuses the development JWT secret and the test-only guard switch in production', () => {
    expect(() => AppConfig.from({ ...exampleVars, NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() =>
      AppConfig.from({
        ...exampleVars,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        NODE_ENV: 'production',
        AUTH_GUARD_DISABLED_FOR_TEST: 'true',
      }),
    ).toThrow(/AUTH_GUARD_DISABLED_FOR_TEST/);
  });

  it('treats an unset NODE_ENV as production, refusing the example secret', () => {
    const { NODE_ENV: _unset, ...rest } = exampleVars;
    expect(() => AppConfig.from(rest)).toThrow(/JWT_SECRET: looks guessable/);
    const strong = AppConfig.from({ ...rest, JWT_SECRET: randomBytes(32).toString('base64url') });
    expect(strong.env).toBe('production');
  });

  it('judges a production JWT secret by strength, not by comparison with the example', () => {
    const prod = (JWT_SECRET: string) => () =>
      AppConfig.from({ ...exampleVars, NODE_ENV: 'production', JWT_SECRET });
    expect(prod('x'.repeat(40))).toThrow(/JWT_SECRET: looks guessable/);
    expect(prod('change-me-please-'.repeat(3))).toThrow(/JWT_SECRET: looks guessable/);
    expect(prod(`${'a1B2'.repeat(4)}${'c3D4'.repeat(4)}`)).toThrow(/JWT_SECRET/);
    expect(prod(randomBytes(32).toString('hex'))).not.toThrow();
    // development keeps the convenience of the example value
    expect(() => AppConfig.from({ ...exampleVars, NODE_ENV: 'development' })).not.toThrow();
  });

  it('reads TEST_DEFECTS into a read-only set, only when NODE_ENV=test, and refuses unknown names', () => {
    expect(AppConfig.from(exampleVars).testDefects.size).toBe(0);
    const test = AppConfig.from({
      ...exampleVars,
      NODE_ENV: 'test',
      TEST_DEFECTS: 'replay-skips-one, hash-check-off',
    });
    expect([...test.testDefects].sort()).toEqual(['hash-check-off', 'replay-skips-one']);
    expect(() => (test.testDefects as Set<string>).add('rss-leak')).toThrow(TypeError);
    expect(test.testDefects.has('rss-leak' as never)).toBe(false);
    for (const env of ['development', 'production']) {
      expect(() =>
        AppConfig.from({
          ...exampleVars,
          JWT_SECRET: randomBytes(32).toString('base64url'),
          NODE_ENV: env,
          TEST_DEFECTS: 'replay-skips-one',
        }),
      ).toThrow(/TEST_DEFECTS: allowed only when NODE_ENV=test/);
    }
    expect(() =>
      AppConfig.from({ ...exampleVars, NODE_ENV: 'test', TEST_DEFECTS: 'replay-skip-one' }),
    ).toThrow(/TEST_DEFECTS: unknown replay-skip-one/);
  });

  it('takes an S3 bucket and refuses storage settings that do not fit together', () => {
    const s3 = {
      ...exampleVars,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'hub-evidence',
      S3_ACCESS_KEY_ID: 'hub',
      S3_SECRET_ACCESS_KEY: 'secret-key',
      S3_FORCE_PATH_STYLE: 'true',
      STORAGE_LOCK_MODE: 'compliance',
      STORAGE_LOCK_DAYS: '365',
    };
    const config = AppConfig.from(s3);
    expect(config.storage.driver).toBe('s3');
    expect(config.storage.s3).toEqual({
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'hub-evidence',
      accessKeyId: 'hub',
      secretAccessKey: 'secret-key',
      forcePathStyle: true,
    });
    expect(config.storage.lock).toEqual({ mode: 'compliance', days: 365 });
    expect(AppConfig.from(exampleVars).storage.driver).toBe('local');

    expect(() => AppConfig.from({ ...s3, S3_BUCKET: '' })).toThrow(
      /S3_BUCKET: required when STORAGE_DRIVER=s3/,
    );
    expect(() => AppConfig.from({ ...s3, S3_BUCKET: 'Not_A_Bucket' })).toThrow(/S3_BUCKET/);
    expect(() => AppConfig.from({ ...s3, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
    expect(() => AppConfig.from({ ...s3, STORAGE_DRIVER: 'nfs' })).toThrow(/STORAGE_DRIVER/);
    expect(() => AppConfig.from({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(/set both or neither/);
    expect(() => AppConfig.from({ ...s3, STORAGE_LOCK_MODE: 'forever' })).toThrow(/STORAGE_LOCK_MODE/);
    expect(() => AppConfig.from({ ...s3, STORAGE_LOCK_DAYS: '3000' })).toThrow(
      /STORAGE_LOCK_DAYS: must not exceed RETENTION_INCIDENT_DAYS/,
    );
  });

  it('freezes its sections', () => {
    const config = AppConfig.from(exampleVars);
    expect(Object.isFrozen(config.db)).toBe(true);
    expect(config.http.corsOrigins).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
  });
});
