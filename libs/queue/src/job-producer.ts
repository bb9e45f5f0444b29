import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig } from '@app/config';
import { DEFAULT_JOB_OPTIONS } from './job-options';
import { COALESCED, JOB_QUEUE, type JobName, type JobPayloads, QueueName } from './jobs';
import { producerConnection, queuePrefix } from './queue-connection';

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

  async enqueue<J extends JobName>(name: J, data: JobPayloads[J], jobId: string): Promise<void> {
    const coalesceKey = (COALESCED[name] as ((d: JobPayloads[J]) => string) | undefined)?.(data);
    await this.queue(JOB_QUEUE[name]).add(name, data, {
      jobId,
      ...(coalesceKey && { deduplication: { id: coalesceKey, keepLastIfActive: true } }),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
