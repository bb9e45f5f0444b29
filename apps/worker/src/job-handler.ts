import type { Job } from 'bullmq';
import type { JobName, JobPayloads, JobsOf, QueueName } from '@app/queue';

export type Handler<J extends JobName> = (data: JobPayloads[J], job: Job<JobPayloads[J]>) => Promise<unknown>;

/** A processor's handler map: a missing handler for a job of its queue does not compile. */
export type HandlerMap<Q extends QueueName> = { [J in JobsOf<Q>]: Handler<J> };

/** Implemented by every processor; the worker starts one BullMQ Worker per processor. */
export interface QueueProcessor<Q extends QueueName = QueueName> {
  readonly queue: Q;
  readonly handlers: HandlerMap<Q>;
  /** jobs of this queue one worker process runs at once; QUEUE_CONCURRENCY when absent */
  readonly concurrency?: number;
}
