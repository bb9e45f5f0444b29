import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@app/config';
import { NestLoggerAdapter } from '@app/logging';
import { RadioModule } from './radio.module';
import { RedisIoAdapter } from './redis-io.adapter';

/** Builds a radio instance as main.ts runs it; tests start two of these. */
export async function createRadioApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create(RadioModule.register(config), new FastifyAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(new NestLoggerAdapter(logger));
  const adapter = new RedisIoAdapter(app, config);
  await adapter.connect();
  app.useWebSocketAdapter(adapter);
  app.enableShutdownHooks();
  return app;
}
