import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

/** The names of the dependencies that did not answer within `ms` (an empty list: all up). */
export async function unreachable(
  checks: Record<string, () => Promise<unknown>>,
  ms = 2000,
): Promise<string[]> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((n) => within(ms, Promise.resolve().then(checks[n]))));
  return names.filter((_, i) => results[i].status === 'rejected');
}

/** Why /ready is not 200, or null when it is: shutting down, or a dependency unreachable. */
export function notReadyReason(accepting: boolean, down: string[]): string | null {
  if (!accepting) {
    return 'Not ready: shutting down';
  }
  return down.length ? `Not ready: ${down.join(' and ')} unreachable` : null;
}

/** True when METRICS_TOKEN is unset, or the Authorization header carries it as a bearer token. */
export function metricsAllowed(config: AppConfig, authorization: string | string[] | undefined): boolean {
  const token = config.ops.metricsToken;
  if (!token) {
    return true;
  }
  const given = typeof authorization === 'string' ? /^Bearer (.+)$/i.exec(authorization)?.[1] : undefined;
  if (!given) {
    return false;
  }
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One scrape of the app's registry; 401 (DomainError) when METRICS_TOKEN is set and not given. */
export async function scrape(
  registry: Registry,
  config: AppConfig,
  authorization: string | string[] | undefined,
): Promise<{ contentType: string; body: string }> {
  if (!metricsAllowed(config, authorization)) {
    throw new DomainError(ErrorCode.Unauthenticated, 'METRICS_TOKEN required');
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
