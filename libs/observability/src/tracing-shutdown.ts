import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './tracing';

/**
 * In each app's root module: once Nest has closed everything (after the drain, the last queries
 * and jobs), the spans still buffered are sent and tracing stops, before the process exits.
 */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
