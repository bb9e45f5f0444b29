import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { io } from 'socket.io-client';
import type { AppConfig } from '@app/config';
import { NestLoggerAdapter } from '@app/logging';
import { type IoFactory, RadioClient, type RadioClientOptions } from '@app/realtime';
import { createRadioApp } from '../../../apps/radio/src/create-radio-app';
import { WorkerModule } from '../../../apps/worker/src/worker.module';

export interface RadioPair {
  /** base URLs of the two instances */
  urls: [string, string];
  path: string;
  apps: [INestApplication, INestApplication];
  close(): Promise<void>;
}

async function startRadio(config: AppConfig): Promise<{ app: INestApplication; url: string }> {
  const app = await createRadioApp(config, pino({ level: config.log.level }));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** Two radio instances on ephemeral loopback ports, joined by the Redis adapter of `config`. */
export async function startRadioPair(config: AppConfig): Promise<RadioPair> {
  const [a, b] = await Promise.all([startRadio(config), startRadio(config)]);
  return {
    urls: [a.url, b.url],
    path: config.radio.path,
    apps: [a.app, b.app],
    close: async () => {
      await Promise.all([a.app.close(), b.app.close()]);
    },
  };
}

/** The worker (outbox relay, processors) in this process, as main.ts builds it. */
export async function startTestWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), {
    bufferLogs: true,
  });
  app.useLogger(new NestLoggerAdapter(pino({ level: config.log.level })));
  await app.init();
  return app;
}

/** The typed radio client over the real socket.io client, not yet connected. */
export function radioClient(
  url: string,
  path: string,
  token: string | (() => string),
  options: Partial<RadioClientOptions> = {},
): RadioClient {
  return new RadioClient(io as unknown as IoFactory, {
    url,
    path,
    token: typeof token === 'function' ? token : () => token,
    ...options,
  });
}

/** A client that records what it showed, in order. */
export interface RecordingClient {
  client: RadioClient;
  shown: { id: string; seq: number; message: string; replayed: boolean }[];
}

export function recordingClient(
  url: string,
  path: string,
  token: string | (() => string),
  options: Partial<RadioClientOptions> = {},
): RecordingClient {
  const client = radioClient(url, path, token, options);
  const shown: RecordingClient['shown'] = [];
  client.on('alert', (a, meta) =>
    shown.push({ id: a.id, seq: a.seq, message: a.message, replayed: meta.replayed }),
  );
  return { client, shown };
}
