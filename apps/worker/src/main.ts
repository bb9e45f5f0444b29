import 'reflect-metadata';
import './tracing';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError } from '@app/config';
import { createRootLogger, NestLoggerAdapter } from '@app/logging';
import { WorkerModule } from './worker.module';

/** The worker: an application context with BullMQ processors; its only HTTP server is the probes' (WorkerHttpServer). */
async function main(): Promise<void> {
  const config = AppConfig.fromProcess();
  const logger = createRootLogger(config.log.level, config.log.pretty, 'worker', {
    unredactedErrors: config.testDefects.has('log-errors-unredacted'),
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
  app.useLogger(new NestLoggerAdapter(logger));
  app.enableShutdownHooks();
  await app.init();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
