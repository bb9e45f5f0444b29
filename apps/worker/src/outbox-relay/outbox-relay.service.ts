import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '@app/config';
import { OutboxMessage, SystemDb } from '@app/database';
import { log } from '@app/logging';
import { type JobName, JobProducer, jobIds } from '@app/queue';
import { RealtimePublisher } from '@app/realtime';

const BATCH = 200;
/** Jobs are not NOTIFYed (only realtime rows are: see the ChainAccessLogAtCommit migration). */
const POLL_MS = 250;

/**
 * Publishes outbox rows: jobs to BullMQ (job id = outbox id, so a re-publish is a no-op) and
 * realtime events to the radio. Realtime rows wake it by LISTEN/NOTIFY; jobs wait for the poll.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener?: Client;
  private listening?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly system: SystemDb,
    private readonly producer: JobProducer,
    private readonly realtime: RealtimePublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.ensureListener();
    await this.listening;
    this.wake();
  }

  /** One LISTEN connection at a time: the poll asks again every tick while connecting is slow. */
  private ensureListener(): void {
    if (this.listener || this.listening || this.stopped) {
      return;
    }
    this.listening = this.listen().finally(() => {
      this.listening = undefined;
    });
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.db.url });
    client.on('error', () => {
      if (this.listener === client) {
        this.listener = undefined;
      }
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox');
    } catch (err) {
      await client.end().catch(() => undefined);
      log().warn({ err }, 'outbox LISTEN unavailable; polling');
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    client.on('notification', () => this.wake());
    this.listener = client;
  }

  /** Starts a drain, or asks the running one to go round again. */
  wake(): void {
    if (this.stopped) {
      return;
    }
    this.ensureListener();
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .then(() => undefined)
      .catch((err: unknown) => log().warn({ err }, 'outbox relay pass failed'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /**
   * Publishes until nothing is left or a publish fails (Redis down: the next pass retries). A batch's
   * realtime events go out in order; its jobs in one pipelined add per queue.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published, full, failed } = await this.system.run(async (em) => {
        const rows = await em
          .createQueryBuilder(OutboxMessage, 'o')
          .where('o.published_at IS NULL')
          .orderBy('o.created_at')
          .take(BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        const jobs = rows.filter((row) => row.kind === 'job');
        const events = rows.filter((row) => row.kind !== 'job');
        for (const row of events) {
          this.realtime.emit(row.rooms, row.name, row.payload);
        }
        let error: unknown;
        try {
          await this.producer.enqueueAll(
            jobs.map((row) => ({ name: row.name as JobName, data: row.payload as never, jobId: jobIds.outbox(row.id) })),
          );
        } catch (err) {
          error = err;
          await em.update(
            OutboxMessage,
            jobs.map((row) => row.id),
            { attempts: () => 'attempts + 1', lastError: String(err).slice(0, 500) },
          );
        }
        const done = error ? events : rows;
        if (done.length) {
          await em.update(
            OutboxMessage,
            done.map((row) => row.id),
            { publishedAt: () => 'now()' },
          );
        }
        return { published: done.length, full: rows.length === BATCH, failed: !!error };
      });
      total += published;
      if (!full || failed) {
        return total;
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.listening;
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }
}
