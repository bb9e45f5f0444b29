import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { log, RequestContext } from '@app/logging';
import { DomainError } from './domain.error';
import { ErrorCode, ERROR_STATUS } from './error-code';
import type { ErrorResponse } from './error-response';

const STATUS_CODE: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.UnprocessableEntity,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
};

const DOWN_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ERR_STREAM_DESTROYED',
  'ERR_SOCKET_CLOSED',
  '57014',
];
const DOWN_MESSAGE =
  /Connection terminated|connection timeout|Query read timeout|timeout exceeded when trying to connect|Connection is closed|not queryable|the database system is|Stream isn't writeable|enableOfflineQueue|after a stream was destroyed/i;

/**
 * Errors that mean a dependency is down, not a bug: answered 503 so clients retry. Looks through
 * the wrappers (TypeORM's driverError, an Error's cause) to the driver's own error.
 */
function isUnavailable(err: unknown, depth = 0): boolean {
  const e = err as { code?: string; message?: string; driverError?: unknown; cause?: unknown };
  if (!e || depth > 3) {
    return false;
  }
  const code = typeof e.code === 'string' ? e.code : '';
  // socket errors; PostgreSQL connection exceptions (08), operator intervention (57P), a statement
  // cancelled by its timeout (57014), insufficient resources (53)
  return (
    DOWN_CODES.includes(code) ||
    /^(08|57P|53)/.test(code) ||
    DOWN_MESSAGE.test(e.message ?? '') ||
    isUnavailable(e.driverError, depth + 1) ||
    isUnavailable(e.cause, depth + 1)
  );
}

/**
 * The request field behind a foreign key violation on insert or update, from the constraint's
 * conventional name `<table>_<column>_fkey`: a reference to another partnership's row or to
 * nothing is the client's input, answered 400 naming it. Never the values (the detail holds them).
 */
export function foreignKeyField(err: unknown, depth = 0): string | null {
  const e = err as {
    code?: unknown;
    message?: unknown;
    table?: unknown;
    constraint?: unknown;
    driverError?: unknown;
  };
  if (!e || depth > 2) {
    return null;
  }
  if (
    e.code === '23503' &&
    typeof e.table === 'string' &&
    typeof e.constraint === 'string' &&
    String(e.message).startsWith('insert or update on table')
  ) {
    const column = new RegExp(`^${e.table}_([a-z0-9_]+)_fkey$`).exec(e.constraint)?.[1];
    return column ? column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : null;
  }
  return foreignKeyField(e.driverError, depth + 1);
}

export function toErrorResponse(err: unknown): ErrorResponse & { headers?: Record<string, string> } {
  const requestId = RequestContext.requestId();
  if (err instanceof DomainError) {
    return {
      statusCode: ERROR_STATUS[err.code],
      code: err.code,
      message: err.message,
      requestId,
      ...(err.details ? { details: err.details } : {}),
      ...(err.headers ? { headers: err.headers } : {}),
    };
  }
  if (err instanceof HttpException) {
    const statusCode = err.getStatus();
    const code = STATUS_CODE[statusCode] ?? (statusCode >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest);
    const message = statusCode >= 500 ? 'Something went wrong on our side' : err.message;
    return { statusCode, code, message, requestId };
  }
  const fastifyStatus = (err as { statusCode?: number })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code = STATUS_CODE[fastifyStatus] ?? ErrorCode.BadRequest;
    return { statusCode: fastifyStatus, code, message: (err as Error).message, requestId };
  }
  // text PostgreSQL cannot store (a NUL character, an invalid sequence) is the client's input, not a fault
  const pgCode = (err as { code?: string })?.code;
  if (pgCode === '22021' || pgCode === '22P05') {
    return {
      statusCode: 400,
      code: ErrorCode.BadRequest,
      message: 'The request contains characters that cannot be stored',
      requestId,
    };
  }
  const field = foreignKeyField(err);
  if (field) {
    const problem = 'does not exist in this partnership';
    return {
      statusCode: 400,
      code: ErrorCode.ValidationFailed,
      message: `${field}: ${problem}`,
      requestId,
      details: [{ field, problems: [problem] }],
    };
  }
  // a unique index settled a race between two requests creating the same thing: the loser conflicts
  if (pgCode === '23505') {
    return {
      statusCode: 409,
      code: ErrorCode.Conflict,
      message: 'That already exists (another request may have just created it)',
      requestId,
    };
  }
  if (isUnavailable(err)) {
    return {
      statusCode: 503,
      code: ErrorCode.ServiceUnavailable,
      message: 'The service is temporarily unavailable; please retry shortly',
      requestId,
    };
  }
  return {
    statusCode: 500,
    code: ErrorCode.Internal,
    message: 'Something went wrong on our side',
    requestId,
  };
}

/** Maps every error to the one ErrorResponse body. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const { headers, ...body } = toErrorResponse(err);
    if (body.statusCode === 503) {
      // a dependency is down: the client retries; a 500 is a bug and logged as an error
      log().warn({ err }, 'request failed: dependency unavailable');
    } else if (body.statusCode >= 500) {
      log().error({ err }, 'request failed');
    } else if (body.statusCode === 409 && !(err instanceof DomainError)) {
      // a unique index settled a race: worth seeing (the constraint, never the values)
      log().warn({ err }, 'request conflicted');
    } else {
      log().debug({ code: body.code }, 'request refused');
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (headers) {
      void reply.headers(headers);
    }
    void reply.status(body.statusCode).header('x-request-id', body.requestId).send(body);
  }
}
