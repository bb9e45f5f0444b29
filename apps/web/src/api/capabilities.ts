// Which api routes exist, read once from the OpenAPI document. Screens whose api has not landed yet
// say so ("not available yet") instead of failing.
import type { ClientConfig } from './types';

type Spec = { paths?: Record<string, Record<string, unknown>> };

export interface Capabilities {
  has(method: string, path: string): boolean;
  /** the first of several candidate routes that exists */
  first(method: string, ...paths: string[]): string | null;
}

let loaded: Promise<Capabilities> | null = null;

export function capabilities(): Promise<Capabilities> {
  loaded ??= fetch('/api/docs-json', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<Spec>) : { paths: {} }))
    .catch(() => {
      loaded = null; // offline: ask again next time
      return { paths: {} } as Spec;
    })
    .then((spec) => {
      const routes = new Set<string>();
      for (const [path, ops] of Object.entries(spec.paths ?? {})) {
        const normal = path.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, ':id');
        for (const method of Object.keys(ops)) {
          routes.add(`${method.toUpperCase()} ${normal}`);
        }
      }
      const has = (method: string, path: string) => routes.has(`${method.toUpperCase()} ${path}`);
      return { has, first: (method, ...paths) => paths.find((p) => has(method, p)) ?? null };
    });
  return loaded;
}

let config: Promise<ClientConfig | null> | null = null;

/** Where the radio listens; null when the api does not say (the console then works without it). */
export function clientConfig(): Promise<ClientConfig | null> {
  config ??= fetch('/api/v1/client-config', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<ClientConfig>) : null))
    .catch(() => {
      config = null;
      return null;
    });
  return config;
}
