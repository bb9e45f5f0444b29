// The radio channel for the web client: the shared typed client (libs/realtime/src/client) over
// socket.io-client, pointed at the radio's port of this host, with the last seq kept on the device.
import { io } from 'socket.io-client';
import { type IoFactory, RadioClient } from '@radio-client';
import { api } from '../api/client';
import { clientConfig } from '../api/capabilities';
import type { AlertAckedPayload, AlertPayload, PresencePayload } from '../api/types';

export type RadioState = 'connecting' | 'live' | 'offline' | 'refused' | 'unavailable';

export interface RadioView {
  state: RadioState;
  alerts: AlertPayload[];
  acks: AlertAckedPayload[];
  /** alert ids this device has acknowledged */
  acknowledged: Set<string>;
  presence: PresencePayload | null;
}

type Listener = (v: RadioView) => void;

const seqKey = (partnershipId: string) => `hub.radio.lastSeq.${partnershipId}`;
const ackKey = (actorId: string) => `hub.radio.acked.${actorId}`;

export class Radio {
  private client: RadioClient | null = null;
  private view: RadioView;
  private readonly listeners = new Set<Listener>();
  private closed = false;

  constructor(
    private readonly partnershipId: string,
    private readonly actorId: string,
  ) {
    const acked = JSON.parse(localStorage.getItem(ackKey(actorId)) ?? '[]') as string[];
    this.view = { state: 'connecting', alerts: [], acks: [], acknowledged: new Set(acked), presence: null };
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    l(this.view);
    return () => this.listeners.delete(l);
  }

  async start(): Promise<void> {
    const cfg = await clientConfig();
    if (this.closed) {
      return;
    }
    if (!cfg) {
      // offline at start, or an api without the route: try again when the connection returns
      this.patch({ state: navigator.onLine ? 'unavailable' : 'offline' });
      const retry = () => {
        window.removeEventListener('online', retry);
        void this.start();
      };
      window.addEventListener('online', retry);
      return;
    }
    const stored = localStorage.getItem(seqKey(this.partnershipId));
    const url =
      cfg.radio.port === null ? location.origin : `${location.protocol}//${location.hostname}:${cfg.radio.port}`;
    const client = new RadioClient(io as unknown as IoFactory, {
      url,
      path: cfg.radio.path,
      token: () => api.accessToken(),
      lastSeq: stored ? Number(stored) : null,
    });
    this.client = client;
    client.on('alert', (alert) => {
      localStorage.setItem(seqKey(this.partnershipId), String(client.lastSeq ?? alert.seq));
      this.patch({ alerts: [alert, ...this.view.alerts.filter((a) => a.id !== alert.id)].slice(0, 200) });
    });
    client.on('acked', (ack) => this.patch({ acks: [...this.view.acks, ack] }));
    client.on('live', () => this.patch({ state: 'live' }));
    client.on('refused', () => this.patch({ state: 'refused' }));
    client.on('disconnected', () => this.patch({ state: 'offline' }));
    client.socket.on('connect', () => this.patch({ state: 'connecting' }));
    client.socket.on('connect_error', () => {
      if (this.view.state !== 'refused') {
        this.patch({ state: 'offline' });
      }
    });
    client.connect().catch(() => this.patch({ state: 'refused' }));
  }

  async ack(alertId: string): Promise<void> {
    if (!this.client) {
      throw new Error('The radio is not connected');
    }
    await this.client.ack(alertId);
    const acknowledged = new Set(this.view.acknowledged).add(alertId);
    localStorage.setItem(ackKey(this.actorId), JSON.stringify([...acknowledged].slice(-500)));
    this.patch({ acknowledged });
  }

  async refreshPresence(): Promise<void> {
    if (this.client?.connected) {
      this.patch({ presence: await this.client.presence() });
    }
  }

  close(): void {
    this.closed = true;
    this.client?.close();
    this.listeners.clear();
  }

  private patch(p: Partial<RadioView>): void {
    this.view = { ...this.view, ...p };
    for (const l of this.listeners) {
      l(this.view);
    }
  }
}
