import 'reflect-metadata';
import './tracing';
import { AppConfig, ConfigError } from '@app/config';
import { createRootLogger } from '@app/logging';
import { createRadioApp } from './create-radio-app';

async function main(): Promise<void> {
  const config = AppConfig.fromProcess();
  const logger = createRootLogger(config.log.level, config.log.pretty, 'radio');
  const app = await createRadioApp(config, logger);
  await app.listen(config.radio.port, config.http.host);
  logger.info({ port: config.radio.port, path: config.radio.path }, 'radio listening');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
