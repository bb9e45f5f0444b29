import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The radio's series: sockets connected to this instance (read from socket.io when scraped) and
 * alerts sent to clients, live or in a replay. Labels name the source only, never a room, user or store.
 */
@Injectable()
export class RadioMetrics {
  readonly alertsEmitted: Counter<'source'>;
  /** replay queries run against PostgreSQL (one may serve many sockets) */
  readonly replayQueries: Counter;
  readonly replayQueryFailures: Counter;
  private connected: () => number = () => 0;
  private replaysWaiting: () => number = () => 0;

  constructor(registry: Registry) {
    this.alertsEmitted = new Counter({
      name: 'radio_alerts_emitted_total',
      help: 'Alerts sent to client sockets by this instance (one per socket), live or in a replay',
      labelNames: ['source'],
      registers: [registry],
    });
    this.alertsEmitted.inc({ source: 'live' }, 0);
    this.alertsEmitted.inc({ source: 'replay' }, 0);
    this.replayQueries = new Counter({
      name: 'radio_replay_queries_total',
      help: 'Replay queries this instance ran; sockets asking the same replay at once share one',
      registers: [registry],
    });
    this.replayQueryFailures = new Counter({
      name: 'radio_replay_query_failures_total',
      help: 'Replay queries that failed (tried again a few times before the client is told to ask again)',
      registers: [registry],
    });
    const self = this;
    new Gauge({
      name: 'radio_replay_queries_waiting',
      help: 'Replay queries waiting for a free slot (RADIO_REPLAY_CONCURRENCY) on this instance',
      registers: [registry],
      collect() {
        this.set(self.replaysWaiting());
      },
    });
    new Gauge({
      name: 'radio_connected_sockets',
      help: 'Authenticated sockets connected to this radio instance',
      registers: [registry],
      collect() {
        this.set(self.connected());
      },
    });
  }

  /** The replay service tells where to count its queue. */
  countReplaysWaitingWith(waiting: () => number): void {
    this.replaysWaiting = waiting;
  }

  /** The gateway tells where to count its sockets once socket.io is up. */
  countSocketsWith(connected: () => number): void {
    this.connected = connected;
  }
}
