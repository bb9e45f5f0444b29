import 'reflect-metadata';
import './tracing';
import { AppConfig, ConfigError } from '@app/config';
import { createRootLogger } from '@app/logging';
import { createApiApp } from './configure-app';

async function main(): Promise<void> {
  const config = AppConfig.fromProcess();
  const logger = createRootLogger(config.log.level, config.log.pretty, 'api', {
    unredactedErrors: config.testDefects.has('log-errors-unredacted'),
  });
  const app = await createApiApp(config, logger);
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: await app.getUrl() }, 'api listening');
}

main().catch((err: unknown) => {
  // Configuration errors name every bad variable; print them plainly and stop.
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
