import type { Logger as TypeOrmLogger } from 'typeorm';
import { log } from '@app/logging';

/**
 * TypeORM's log lines through the process's pino logger: the SQL text, never the values bound to
 * it (TypeORM's own loggers print `-- PARAMETERS: [...]`, which holds names, statements and
 * narratives). Failed statements log the driver's error through pino's redacting serializer.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  /** `withParameters` is the test-only broken variant TEST_DEFECTS=typeorm-logs-parameters */
  constructor(private readonly withParameters = false) {}

  private values(parameters: unknown): { parameters?: unknown } {
    return this.withParameters ? { parameters } : {};
  }

  logQuery(query: string, parameters?: unknown): void {
    const logger = log();
    if (logger.isLevelEnabled('trace')) {
      logger.trace({ sql: query, ...this.values(parameters) }, 'query');
    }
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown): void {
    // warn, not error: most are the client's input (a NUL byte, a duplicate) answered 4xx; a 500
    // is logged as an error by the exceptions filter
    log().warn({ sql: query, err: error, ...this.values(parameters) }, 'query failed');
  }

  logQuerySlow(time: number, query: string, parameters?: unknown): void {
    log().warn({ sql: query, durationMs: time, ...this.values(parameters) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    log().debug({ typeorm: 'schema' }, message);
  }

  logMigration(message: string): void {
    log().info({ typeorm: 'migration' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = String(message);
    if (level === 'warn') {
      log().warn({ typeorm: level }, text);
    } else {
      log().debug({ typeorm: level }, text);
    }
  }
}
