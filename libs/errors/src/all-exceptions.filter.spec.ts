import { BadRequestException, NotFoundException } from '@nestjs/common';
import { RequestContext } from '@app/logging';
import { toErrorResponse } from './all-exceptions.filter';
import { DomainError } from './domain.error';
import { ErrorCode } from './error-code';

describe('toErrorResponse', () => {
  const within = <T>(fn: () => T) => RequestContext.run({ requestId: 'req-1' }, fn);

  it('maps a domain error through the one status table, with its details', () => {
    const body = within(() =>
      toErrorResponse(DomainError.invalid('items[0].valuePence', 'must be a whole number of pence')),
    );
    expect(body).toEqual({
      statusCode: 400,
      code: ErrorCode.ValidationFailed,
      message: 'items[0].valuePence: must be a whole number of pence',
      requestId: 'req-1',
      details: [{ field: 'items[0].valuePence', problems: ['must be a whole number of pence'] }],
    });
    expect(
      within(() => toErrorResponse(new DomainError(ErrorCode.IdempotencyKeyReused, 'x'))).statusCode,
    ).toBe(422);
  });

  it('translates Nest HTTP exceptions', () => {
    expect(within(() => toErrorResponse(new NotFoundException()))).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
    });
    expect(within(() => toErrorResponse(new BadRequestException('no')))).toMatchObject({
      statusCode: 400,
      code: 'BAD_REQUEST',
    });
  });

  it('answers 409 when a unique index settles a race, without the values', () => {
    const dup = Object.assign(new Error('duplicate key value violates unique constraint "users_email_idx"'), {
      code: '23505',
      detail: 'Key (email)=(someone@example.org) already exists.',
    });
    const body = within(() => toErrorResponse(dup));
    expect(body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    expect(JSON.stringify(body)).not.toContain('someone@example.org');
  });

  it('answers 503 when a dependency is unreachable, and hides unknown errors behind 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(within(() => toErrorResponse(refused))).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    for (const down of [
      Object.assign(new Error('connection does not exist'), { code: '08003' }),
      Object.assign(new Error('the database system is in recovery mode'), { code: '57P03' }),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      // pg's client-side query_timeout, hit while a restarted server recovers
      new Error('Query read timeout'),
      Object.assign(new Error('Cannot call write after a stream was destroyed'), {
        code: 'ERR_STREAM_DESTROYED',
      }),
      // TypeORM wraps the driver's error
      Object.assign(new Error('query failed'), {
        driverError: Object.assign(new Error('x'), { code: '57P01' }),
      }),
      new Error('wrapped', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ]) {
      expect(within(() => toErrorResponse(down)).statusCode).toBe(503);
    }
    const secret = within(() => toErrorResponse(new Error('password=hunter2 in stack')));
    expect(secret).toMatchObject({ statusCode: 500, code: 'INTERNAL', requestId: 'req-1' });
    expect(secret.message).not.toContain('hunter2');
  });
});
