import { AppConfig } from '@app/config';
import { metricsAllowed, notReadyReason, unreachable } from './probes';
import { Readiness } from './readiness';

const config = (METRICS_TOKEN: string) =>
  AppConfig.from({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://a@b/c',
    DATABASE_MIGRATION_URL: 'postgres://a@b/c',
    REDIS_URL: 'redis://x',
    METRICS_TOKEN,
  });

describe('probes', () => {
  it('leaves /metrics open without METRICS_TOKEN, and takes only that bearer token with it', () => {
    expect(metricsAllowed(config(''), undefined)).toBe(true);
    const closed = config('s3cret-token');
    expect(metricsAllowed(closed, undefined)).toBe(false);
    expect(metricsAllowed(closed, 'Bearer wrong')).toBe(false);
    expect(metricsAllowed(closed, 'Bearer s3cret-token-longer')).toBe(false);
    expect(metricsAllowed(closed, 's3cret-token')).toBe(false);
    expect(metricsAllowed(closed, ['Bearer s3cret-token'])).toBe(false);
    expect(metricsAllowed(closed, 'Bearer s3cret-token')).toBe(true);
  });

  it('names what is down, and shutting down before any dependency', async () => {
    const down = await unreachable(
      {
        postgres: async () => 1,
        redis: async () => {
          throw new Error('down');
        },
        slow: () => new Promise(() => undefined),
      },
      50,
    );
    expect(down).toEqual(['redis', 'slow']);
    expect(notReadyReason(true, [])).toBeNull();
    expect(notReadyReason(true, down)).toBe('Not ready: redis and slow unreachable');
    expect(notReadyReason(false, [])).toBe('Not ready: shutting down');
  });

  it('turns unready when the drain starts; finishDrain ends it, before or during', async () => {
    const r = new Readiness();
    expect(r.accepting).toBe(true);
    const draining = r.drain(60_000);
    expect(r.accepting).toBe(false);
    r.finishDrain();
    await draining;
    const early = new Readiness();
    early.finishDrain();
    await early.drain(60_000);
    expect(early.accepting).toBe(false);
  });

  it('refuses a radio path that would hide a probe', () => {
    expect(() =>
      AppConfig.from({
        DATABASE_URL: 'postgres://a@b/c',
        DATABASE_MIGRATION_URL: 'postgres://a@b/c',
        REDIS_URL: 'redis://x',
        NODE_ENV: 'test',
        RADIO_PATH: '/metrics',
      }),
    ).toThrow(/RADIO_PATH/);
  });
});
