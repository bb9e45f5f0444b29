import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactError } from './redact-error';
import { RequestContext } from './request-context';

/** Paths never written to a log: credentials and personal fields. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.credential',
  '*.secret',
  '*.email',
  '*.displayName',
  '*.name',
  '*.dateOfBirth',
  '*.narrative',
  '*.description',
  '*.statementText',
];

export interface LoggerExtras {
  /** test-only broken variant (TEST_DEFECTS=log-errors-unredacted): errors logged whole */
  unredactedErrors?: boolean;
}

export function loggerOptions(level: string, pretty: boolean, extras: LoggerExtras = {}): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // errors only through redactError: a database error carries the statement's values
    serializers: { err: extras.unredactedErrors ? pino.stdSerializers.err : redactError },
    mixin: () => {
      const ctx = RequestContext.current();
      return ctx ? { requestId: ctx.requestId, actorId: ctx.actorId, partnershipId: ctx.partnershipId } : {};
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  };
}

let root: Logger | undefined;

/** The one root logger of the process. */
export function createRootLogger(
  level: string,
  pretty: boolean,
  name: string,
  extras: LoggerExtras = {},
): Logger {
  // Asynchronous writes (pino flushes them on exit): a synchronous stdout write per request costs
  // throughput on the hot path.
  root =
    pretty || level === 'silent'
      ? pino({ ...loggerOptions(level, pretty, extras), name })
      : pino({ ...loggerOptions(level, pretty, extras), name }, pino.destination({ sync: false }));
  return root;
}

/** A logger bound to the current request or job context. */
export function log(): Logger {
  root ??= pino({ ...loggerOptions('info', false), name: 'hub' });
  return root;
}
