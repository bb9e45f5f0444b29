import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '@app/config';
import { log } from '@app/logging';
import { radioAdapterKey } from '@app/realtime';

/** socket.io over the Redis pub/sub adapter, so every radio instance behaves as one. */
export class RedisIoAdapter extends IoAdapter {
  private adapter?: ReturnType<typeof createAdapter>;
  private clients: Redis[] = [];
  private servers: Server[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    const pub = new Redis(this.config.redis.url, { connectionName: 'hub-radio-pub' });
    const sub = pub.duplicate({ connectionName: 'hub-radio-sub' });
    this.clients = [pub, sub];
    for (const c of this.clients) {
      c.on('error', (err: Error) => log().debug({ err: err.message }, 'radio redis connection error'));
    }
    await Promise.all(
      this.clients.map((c) => (c.status === 'ready' ? undefined : new Promise((r) => c.once('ready', r)))),
    );
    this.adapter = createAdapter(pub, sub, { key: radioAdapterKey(this.config) });
    // Pub/sub keeps nothing for a subscriber that was away: after the subscriber reconnects (Redis
    // restarted, a network blip), tell this instance's clients to replay from their last seq.
    let stale = false;
    sub.on('close', () => {
      if (!stale) {
        stale = true;
        log().warn('radio redis subscriber lost; clients told their live feed may have gaps');
        for (const server of this.servers) {
          server.local.emit('stale');
        }
      }
    });
    sub.on('ready', () => {
      // ioredis emits 'ready' before it re-sends SUBSCRIBE; a PING queued after them answers only
      // once the subscriptions are back, so nothing published from then on is missed.
      setImmediate(() => {
        sub
          .ping()
          .then(() => {
            stale = false;
            log().warn('radio redis subscriber reconnected; asking clients to resync');
            for (const server of this.servers) {
              server.local.emit('resync');
            }
          })
          .catch((err: unknown) => log().warn({ err }, 'radio resync ping failed'));
      });
    });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      path: this.config.radio.path,
      transports: ['websocket'],
      // Deflate per connection costs far more memory than it saves on ~300 B alerts.
      perMessageDeflate: false,
      // The largest frame a client may send (acks and replay requests are tiny).
      maxHttpBufferSize: this.config.radio.maxPayloadBytes,
      cors: { origin: this.config.http.corsOrigins },
    }) as Server;
    if (this.adapter) {
      server.adapter(this.adapter);
    }
    // engine.io keeps each connection's upgrade request (headers, socket) for its lifetime; the
    // radio reads only `handshake.auth`, so let it go (socket.io's memory-usage advice)
    server.engine.on('connection', (raw: { request: unknown }) => {
      raw.request = null;
    });
    this.servers.push(server);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const c of this.clients) {
      c.disconnect();
    }
  }
}
