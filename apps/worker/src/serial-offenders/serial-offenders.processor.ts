import { Injectable } from '@nestjs/common';
import { SerialOffenderRepository } from '@app/offenders';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import type { HandlerMap, QueueProcessor } from '../job-handler';

/**
 * Offender intelligence aggregation: on every link, unlink or change to a linked incident (all
 * enqueued through the outbox, job id = outbox id) recomputes the subject's aggregates and serial
 * flag from committed rows under the subject's lock. Redelivery and retries change nothing twice.
 */
@Injectable()
export class SerialOffendersProcessor implements QueueProcessor<QueueName.Offenders> {
  readonly queue = QueueName.Offenders;

  constructor(private readonly serial: SerialOffenderRepository) {}

  readonly handlers = {
    [JobName.RefreshSubject]: async ({ partnershipId, subjectId, requestId }) => {
      const result = await this.serial.refreshSubject(partnershipId, subjectId, requestId);
      log().info({ partnershipId, subjectId, result }, 'refreshed subject aggregates');
      return result ?? { gone: true };
    },
  } satisfies HandlerMap<QueueName.Offenders>;
}
