import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The radio's series: sockets connected to this instance (read from socket.io when scraped) and
 * alerts sent to clients, live or in a replay. Labels name the source only, never a room, user or store.
 */
@Injectable()
export class RadioMetrics {
  readonly alertsEmitted: Counter<'source'>;
  private connected: () => number = () => 0;

  constructor(registry: Registry) {
    this.alertsEmitted = new Counter({
      name: 'radio_alerts_emitted_total',
      help: 'Alerts sent to client sockets by this instance (one per socket), live or in a replay',
      labelNames: ['source'],
      registers: [registry],
    });
    this.alertsEmitted.inc({ source: 'live' }, 0);
    this.alertsEmitted.inc({ source: 'replay' }, 0);
    const self = this;
    new Gauge({
      name: 'radio_connected_sockets',
      help: 'Authenticated sockets connected to this radio instance',
      registers: [registry],
      collect() {
        this.set(self.connected());
      },
    });
  }

  /** The gateway tells where to count its sockets once socket.io is up. */
  countSocketsWith(connected: () => number): void {
    this.connected = connected;
  }
}
