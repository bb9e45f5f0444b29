// Imported first by main.ts: tracing (when OTEL_TRACES_ENABLED=true) must start before Nest,
// pg and ioredis are loaded, so its instrumentations can patch them.
import { startTracing } from '@app/observability';

startTracing('radio');
