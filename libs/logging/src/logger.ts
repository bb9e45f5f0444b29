import pino, { type Logger, type LoggerOptions } from 'pino';
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

export function loggerOptions(level: string, pretty: boolean): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    mixin: () => {
      const ctx = RequestContext.current();
      return ctx ? { requestId: ctx.requestId, actorId: ctx.actorId, partnershipId: ctx.partnershipId } : {};
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  };
}

let root: Logger | undefined;

/** The one root logger of the process. */
export function createRootLogger(level: string, pretty: boolean, name: string): Logger {
  // Asynchronous writes (pino flushes them on exit): a synchronous stdout write per request costs
  // throughput on the hot path.
  root =
    pretty || level === 'silent'
      ? pino({ ...loggerOptions(level, pretty), name })
      : pino({ ...loggerOptions(level, pretty), name }, pino.destination({ sync: false }));
  return root;
}

/** A logger bound to the current request or job context. */
export function log(): Logger {
  root ??= pino({ ...loggerOptions('info', false), name: 'hub' });
  return root;
}
