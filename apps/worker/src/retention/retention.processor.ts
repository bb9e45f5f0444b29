import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock, SystemDb } from '@app/database';
import { RetentionRepository } from '@app/privacy';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import type { HandlerMap, QueueProcessor } from '../job-handler';

/**
 * Deletes what is past its retention: expired sessions and their refresh tokens; incidents and
 * alerts past their configured periods (RETENTION_*_DAYS, by the injected clock), except records on
 * legal hold, each erasure logged as `erase` in the access log.
 */
@Injectable()
export class RetentionProcessor implements QueueProcessor<QueueName.Retention> {
  readonly queue = QueueName.Retention;

  constructor(
    private readonly system: SystemDb,
    private readonly retention: RetentionRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  readonly handlers = {
    [JobName.PurgeExpiredSessions]: async () => {
      const removed = await this.system.run(async (em) => {
        const rows: unknown[] = await em.query(
          `DELETE FROM sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '30 days' RETURNING id`,
        );
        return rows.length;
      });
      log().info({ removed }, 'purged expired sessions');
      return { removed };
    },
    [JobName.ApplyRetention]: async (data) => {
      const run = await this.retention.apply(this.clock.now(), this.config.retention, data.requestId);
      const erased = run.erased.length;
      log().info({ erased, held: run.held, kept: run.kept }, 'applied retention');
      return { erased, held: run.held, kept: run.kept };
    },
  } satisfies HandlerMap<QueueName.Retention>;
}
