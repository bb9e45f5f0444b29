import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/errors';
import { log, RequestContext } from '@app/logging';
import {
  JOB_QUEUE,
  JobName,
  JobProducer,
  jobIds,
  QueueName,
  queuePrefix,
  SCHEDULES,
  workerConnection,
} from '@app/queue';
import type { QueueProcessor } from './job-handler';
import { WorkerMetrics } from './ops/worker-metrics';

export const PROCESSORS = Symbol('PROCESSORS');

/** Starts one BullMQ worker per processor, schedules recurring jobs, and drains on shutdown. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers: Worker[] = [];
  private readonly connections: ReturnType<typeof workerConnection>[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly producer: JobProducer,
    @Inject(PROCESSORS) private readonly processors: QueueProcessor[],
    private readonly metrics: WorkerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const covered = new Set(this.processors.map((p) => p.queue));
    const missing = Object.values(QueueName).filter((q) => !covered.has(q));
    if (missing.length) {
      throw new Error(`No processor for queue(s): ${missing.join(', ')}`);
    }

    for (const processor of this.processors) {
      const handlers = processor.handlers as Record<
        string,
        (data: unknown, job: unknown) => Promise<unknown>
      >;
      const connection = workerConnection(this.config);
      this.connections.push(connection);
      const worker = new Worker(
        processor.queue,
        async (job) => {
          const handler = handlers[job.name];
          if (!handler) {
            throw new UnrecoverableError(`Unknown job ${job.name}`);
          }
          const requestId = (job.data as { requestId?: string }).requestId ?? `job-${job.id}`;
          return RequestContext.run(
            { requestId, jobId: job.id, queue: processor.queue, jobName: job.name },
            async () => {
              try {
                return await handler(job.data, job);
              } catch (err) {
                if (err instanceof DomainError) {
                  throw new UnrecoverableError(`${err.code}: ${err.message}`);
                }
                throw err;
              }
            },
          );
        },
        {
          // recorded on each job it takes (processedBy): which process holds a job, for operators
          name: `${hostname()}-${process.pid}`,
          connection,
          prefix: queuePrefix(this.config),
          concurrency: processor.concurrency ?? this.config.queue.concurrency,
          lockDuration: this.config.queue.lockDurationMs,
          stalledInterval: this.config.queue.stalledIntervalMs,
        },
      );
      worker.on('completed', () => this.metrics.completed.inc({ queue: processor.queue }));
      worker.on('failed', (job, err) => {
        this.metrics.failed.inc({ queue: processor.queue });
        log().warn({ jobId: job?.id, queue: processor.queue, err }, 'job failed');
      });
      worker.on('error', (err) => log().error({ err, queue: processor.queue }, 'worker error'));
      this.workers.push(worker);
    }
    await this.scheduleRecurring();
    log().info({ queues: this.processors.map((p) => p.queue) }, 'worker started');
  }

  /** Every job of SCHEDULES; Redis down at boot only delays them until the next boot. */
  private async scheduleRecurring(): Promise<void> {
    for (const [name, every] of Object.entries(SCHEDULES) as [JobName, (typeof SCHEDULES)[JobName]][]) {
      try {
        await this.producer
          .queue(JOB_QUEUE[name])
          .upsertJobScheduler(
            jobIds.scheduled(name),
            'pattern' in every! ? { pattern: every.pattern, tz: 'Europe/London' } : every!,
            { name, data: { requestId: 'schedule' } },
          );
      } catch (err) {
        log().warn({ err, job: name }, 'could not schedule a recurring job');
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Finish active jobs (bounded by BullMQ's close), then let connections go: BullMQ leaves a
    // connection it was given open, and its reconnect timer would keep the process alive.
    await Promise.all(this.workers.map((w) => w.close()));
    for (const c of this.connections) {
      c.disconnect();
    }
  }
}
