import { Injectable } from '@nestjs/common';
import { SystemDb } from '@app/database';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import type { HandlerMap, QueueProcessor } from '../job-handler';

/** Deletes what is past its retention: expired sessions and their refresh tokens. */
@Injectable()
export class RetentionProcessor implements QueueProcessor<QueueName.Retention> {
  readonly queue = QueueName.Retention;

  constructor(private readonly system: SystemDb) {}

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
  } satisfies HandlerMap<QueueName.Retention>;
}
