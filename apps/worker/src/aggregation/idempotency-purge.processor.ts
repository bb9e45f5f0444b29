import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { IdempotencyRepository } from '@app/database';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import type { HandlerMap, QueueProcessor } from '../job-handler';

/**
 * Deletes Idempotency-Keys past their published retention (IDEMPOTENCY_RETENTION_DAYS, >= 30), in
 * bounded batches, nightly. Lives beside aggregation because it serves the same report path.
 */
@Injectable()
export class IdempotencyPurgeProcessor implements QueueProcessor<QueueName.IdempotencyKeys> {
  readonly queue = QueueName.IdempotencyKeys;

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly config: AppConfig,
  ) {}

  readonly handlers = {
    [JobName.PurgeIdempotencyKeys]: async () => {
      let removed = 0;
      for (let batch = 0; batch < 100; batch++) {
        const n = await this.keys.purgeOlderThan(this.config.idempotency.retentionDays);
        removed += n;
        if (n === 0) {
          break;
        }
      }
      log().info(
        { removed, retentionDays: this.config.idempotency.retentionDays },
        'purged idempotency keys',
      );
      return { removed };
    },
  } satisfies HandlerMap<QueueName.IdempotencyKeys>;
}
