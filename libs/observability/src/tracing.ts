import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, resources, tracing } from '@opentelemetry/sdk-node';
import { AppConfig, ConfigError } from '@app/config';
import { PrivateSpanExporter } from './private-spans';

export type TracedApp = 'api' | 'worker' | 'radio';

/** The probes answer every few seconds in a cluster: not worth a trace. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

let running: NodeSDK | null = null;

/** The SDK as startTracing configures it (exported for the unit test; call startTracing). */
export function tracingSdk(app: TracedApp, config: AppConfig): NodeSDK {
  const settings = config.tracing;
  return new NodeSDK({
    // only what is named here: no host or process detectors (a command line can hold an email)
    autoDetectResources: false,
    resource: resources.resourceFromAttributes({
      'service.name': settings.serviceName ?? `hub-${app}`,
      'service.version': config.packs.build,
    }),
    sampler: new tracing.ParentBasedSampler({
      root: new tracing.TraceIdRatioBasedSampler(settings.sampleRatio),
    }),
    spanProcessors: [
      new tracing.BatchSpanProcessor(
        new PrivateSpanExporter(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` })),
      ),
    ],
    // traces only: without these the SDK would also start OTLP metrics and logs from OTEL_* defaults
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
        // never a header or a body on a span (the defaults record neither; say so)
        headersToSpanAttributes: { server: { requestHeaders: [], responseHeaders: [] } },
      }),
      new PgInstrumentation({
        // the statement's SQL only, never the values bound to it
        enhancedDatabaseReporting: false,
        // the worker's relay polls every 250 ms: only queries inside a traced operation
        requireParentSpan: true,
        ignoreConnectSpans: true,
      }),
      new IORedisInstrumentation({
        // the command's name only: keys and arguments can name a person (a login limiter's key)
        dbStatementSerializer: (command) => command,
        requireParentSpan: true,
      }),
    ],
  });
}

/**
 * Starts OpenTelemetry tracing for `app` when OTEL_TRACES_ENABLED=true; does nothing otherwise.
 * Call it before anything loads http, pg or ioredis (each main.ts imports its ./tracing first),
 * so the instrumentations can patch them. A bad configuration is left for main() to report.
 */
export function startTracing(app: TracedApp, config?: AppConfig): boolean {
  if (running) {
    return true;
  }
  let settings: AppConfig;
  try {
    settings = config ?? AppConfig.fromProcess();
  } catch (err) {
    if (err instanceof ConfigError) {
      return false;
    }
    throw err;
  }
  if (!settings.tracing.enabled) {
    return false;
  }
  running = tracingSdk(app, settings);
  running.start();
  return true;
}

/** Sends the spans still buffered and stops tracing (each app's shutdown calls it last). */
export async function stopTracing(): Promise<void> {
  const sdk = running;
  running = null;
  await sdk?.shutdown();
}
