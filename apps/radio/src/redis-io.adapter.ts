import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '@app/config';
import { radioAdapterKey } from '@app/realtime';

/** socket.io over the Redis pub/sub adapter, so every radio instance behaves as one. */
export class RedisIoAdapter extends IoAdapter {
  private adapter?: ReturnType<typeof createAdapter>;
  private clients: Redis[] = [];

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
    await Promise.all(
      this.clients.map((c) => (c.status === 'ready' ? undefined : new Promise((r) => c.once('ready', r)))),
    );
    this.adapter = createAdapter(pub, sub, { key: radioAdapterKey(this.config) });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      path: this.config.radio.path,
      transports: ['websocket'],
      perMessageDeflate: false,
      cors: { origin: this.config.http.corsOrigins },
    }) as Server;
    if (this.adapter) {
      server.adapter(this.adapter);
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const c of this.clients) {
      c.disconnect();
    }
  }
}
