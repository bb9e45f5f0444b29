import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SystemDb } from '@app/database';
import { log } from '@app/logging';
import { JobProducer, QueueName } from '@app/queue';

const DEPTH_STATES = ['waiting', 'active', 'delayed'] as const;

/**
 * The worker's series. Queue depth and outbox lag are read when scraped (nothing polls between
 * scrapes); labels are queue names, job states and outcomes only, never ids or personal data.
 */
@Injectable()
export class WorkerMetrics {
  readonly completed: Counter<'queue'>;
  readonly failed: Counter<'queue'>;
  readonly packBuild: Histogram<'outcome'>;

  constructor(registry: Registry, producer: JobProducer, system: SystemDb) {
    this.completed = new Counter({
      name: 'worker_jobs_completed_total',
      help: 'Jobs this worker completed, by queue',
      labelNames: ['queue'],
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'worker_jobs_failed_total',
      help: 'Job attempts that failed in this worker, by queue (a retried job counts each failure)',
      labelNames: ['queue'],
      registers: [registry],
    });
    this.packBuild = new Histogram({
      name: 'worker_pack_build_duration_seconds',
      help: 'Evidence pack build time in seconds (plan, PDFs, ZIP, signature), by outcome',
      labelNames: ['outcome'],
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    for (const queue of Object.values(QueueName)) {
      this.completed.inc({ queue }, 0);
      this.failed.inc({ queue }, 0);
    }
    new Gauge({
      name: 'worker_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed), read from Redis when scraped',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          Object.values(QueueName).map(async (queue) => {
            try {
              const counts = await producer.queue(queue).getJobCounts(...DEPTH_STATES);
              for (const state of DEPTH_STATES) {
                this.set({ queue, state }, counts[state] ?? 0);
              }
            } catch (err) {
              // left out of this scrape: an absent series reads as "unknown", not as zero
              log().debug({ err, queue }, 'queue depth unavailable');
            }
          }),
        );
      },
    });
    new Gauge({
      name: 'outbox_lag_seconds',
      help: 'Age in seconds of the oldest unpublished outbox row (0 when none), read when scraped',
      registers: [registry],
      async collect() {
        try {
          const [row] = await system.run((em) =>
            em.query(
              `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS lag
                 FROM outbox WHERE published_at IS NULL`,
            ),
          );
          this.set(Number(row.lag));
        } catch (err) {
          this.reset();
          log().debug({ err }, 'outbox lag unavailable');
        }
      },
    });
  }
}
