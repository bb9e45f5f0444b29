import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';

/** Seconds per request; the buckets span a cached read (ms) to an evidence upload (tens of s). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The api's request duration histogram. `route` is Fastify's route pattern
 * (`/api/v1/incidents/:id`), never the URL, so no id or query reaches a label; a request no route
 * matched is `unmatched`.
 */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    this.duration.observe({ method, route: route || 'unmatched', status_code: String(status) }, seconds);
  }
}
