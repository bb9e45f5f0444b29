import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { AppConfig } from '@app/config';
import { log } from '@app/logging';
import { DISCONNECT_EVENT } from './events';

/** Emits to radio rooms from outside the radio (the worker's outbox relay) via Redis. */
@Injectable()
export class RealtimePublisher implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly emitter: Emitter;

  constructor(config: AppConfig) {
    this.redis = new Redis(config.redis.url, {
      connectionName: 'hub-realtime-publisher',
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', () => undefined);
    // The emitter fires PUBLISH and forgets the promise; a Redis that dies between the readiness
    // check and the reply would reject it unhandled. Such a message is lost to live delivery only:
    // the radio tells its clients to replay from PostgreSQL once its own subscriber reconnects.
    const publisher = {
      publish: (channel: string, message: string | Buffer) =>
        this.redis
          .publish(channel, message)
          .catch((err: unknown) => log().warn({ err }, 'realtime publish failed; clients will replay')),
    };
    this.emitter = new Emitter(publisher, { key: radioAdapterKey(config) });
  }

  /**
   * Sends `event` to the rooms' sockets, or for DISCONNECT_EVENT closes them on every radio.
   * Throws while Redis is unreachable, so the caller keeps the message for later.
   */
  emit(rooms: string[], event: string, payload: unknown): void {
    if (this.redis.status !== 'ready') {
      throw new Error(`Redis not ready (${this.redis.status})`);
    }
    if (!rooms.length) {
      return;
    }
    if (event === DISCONNECT_EVENT) {
      this.emitter.in(rooms).disconnectSockets(true);
      return;
    }
    (this.emitter.to(rooms) as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

/** The Redis key prefix shared by the radio's adapter and this emitter. */
export function radioAdapterKey(config: AppConfig): string {
  return `${config.redis.prefix}-radio`;
}
