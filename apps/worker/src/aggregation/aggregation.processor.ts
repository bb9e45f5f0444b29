import { Injectable } from '@nestjs/common';
import { IncidentRollupRepository } from '@app/database';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import type { HandlerMap, QueueProcessor } from '../job-handler';

/**
 * Turns accepted reports into statistics. Each job recomputes one partnership-day from PostgreSQL
 * under a unique (partnership, store, day, type) key, so a redelivered job changes nothing.
 */
@Injectable()
export class AggregationProcessor implements QueueProcessor<QueueName.Aggregation> {
  readonly queue = QueueName.Aggregation;

  constructor(private readonly rollups: IncidentRollupRepository) {}

  readonly handlers = {
    [JobName.RollupDay]: async ({ partnershipId, day }) => {
      const cells = await this.rollups.rollupDay(partnershipId, day);
      log().info({ partnershipId, day, cells }, 'rolled up incident counts');
      return { cells };
    },
  } satisfies HandlerMap<QueueName.Aggregation>;
}
