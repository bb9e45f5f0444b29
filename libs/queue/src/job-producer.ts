import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig } from '@app/config';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { COALESCED, JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './jobs';
import { producerConnection, queuePrefix } from './queue-connection';

/** A job to add: `jobId` makes a second add of the same job a no-op. */
export interface JobToAdd {
  name: JobName;
  data: JobPayloads[JobName];
  jobId: string;
}

type BulkJob = Parameters<Queue['addBulk']>[0][number];

/**
 * The jobs as `addBulk` lists per queue, in order. Coalesced jobs keep their deduplication key, so
 * Redis keeps one per key (see COALESCED) and records the others as deduplicated.
 */
export function bulkByQueue(jobs: readonly JobToAdd[]): Map<QueueName, BulkJob[]> {
  const byQueue = new Map<QueueName, BulkJob[]>();
  for (const { name, data, jobId } of jobs) {
    const coalesceKey = (COALESCED[name] as ((d: unknown) => string) | undefined)?.(data);
    const list = byQueue.get(JOB_QUEUE[name]) ?? [];
    byQueue.set(JOB_QUEUE[name], list);
    list.push({
      name,
      data,
      opts: { jobId, ...(coalesceKey && { deduplication: { id: coalesceKey, keepLastIfActive: true } }) },
    });
  }
  return byQueue;
}

/** The one way to enqueue: picks the queue, the job id and the options. */
@Injectable()
export class JobProducer implements OnModuleDestroy {
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly config: AppConfig) {
    this.connection = producerConnection(config);
    this.connection.on('error', () => undefined);
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection,
        prefix: queuePrefix(this.config),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Adds the jobs, one pipelined `addBulk` per queue (see `bulkByQueue`). */
  async enqueueAll(jobs: readonly JobToAdd[]): Promise<void> {
    await Promise.all([...bulkByQueue(jobs)].map(([queue, bulk]) => this.queue(queue).addBulk(bulk)));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
