import { Injectable } from '@nestjs/common';
import { IncidentRollupRepository } from '@app/stats';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import type { HandlerMap, QueueProcessor } from '../job-handler';

/**
 * Keeps the statistics rollups. Every counted change to a report leaves a pending delta
 * (`stats_pending`, written in the report's own transaction); a rollup-day job (one per accepted
 * or amended report, through the outbox; BullMQ coalesces those of a partnership to one running and
 * one waiting, see COALESCED) folds the partnership's pending deltas into the rollups;
 * a scheduled fold-rollups job sweeps every partnership with deltas waiting each minute (reports
 * bulk-loaded by COPY, or whose job was lost); rebuild-rollups starts again from the raw table.
 * A delta is taken and added in one transaction, so a redelivered job changes nothing.
 */
@Injectable()
export class AggregationProcessor implements QueueProcessor<QueueName.Aggregation> {
  readonly queue = QueueName.Aggregation;

  constructor(private readonly rollups: IncidentRollupRepository) {}

  readonly handlers = {
    [JobName.RollupDay]: async ({ partnershipId, day }) => {
      const folded = await this.rollups.fold(partnershipId);
      log().info({ partnershipId, day, folded: folded.incidents }, 'rolled up incident statistics');
      return { folded: folded.incidents };
    },
    [JobName.FoldRollups]: async ({ partnershipId }) => {
      const ids = partnershipId ? [partnershipId] : await this.rollups.partnershipIds();
      let incidents = 0;
      for (const id of ids) {
        incidents += (await this.rollups.fold(id)).incidents;
      }
      if (incidents > 0) {
        log().info({ partnerships: ids.length, incidents }, 'folded reports into the statistics rollups');
      }
      return { incidents };
    },
    [JobName.RebuildRollups]: async () => {
      const result = await this.rollups.rebuild();
      log().info(result, 'rebuilt the statistics rollups');
      return result;
    },
  } satisfies HandlerMap<QueueName.Aggregation>;
}
