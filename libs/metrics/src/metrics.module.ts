import { type DynamicModule, Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Readiness } from './readiness';

/** Which process a registry belongs to: the `app` label on every series is left to the scraper. */
export type MetricsApp = 'api' | 'worker' | 'radio';

/**
 * A registry of its own per app (never prom-client's global one): tests run the api, the worker
 * and two radios in one process, and each must report only its own series.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The app's metrics registry (inject `Registry` from prom-client) and its Readiness. Global, so
 * feature modules can add their series; the drain on shutdown is the root module's ShutdownDrain.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: Registry, useFactory: createRegistry }, Readiness],
      exports: [Registry, Readiness],
    };
  }
}
