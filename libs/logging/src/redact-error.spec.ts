import { Writable } from 'node:stream';
import { DatabaseError } from 'pg';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { loggerOptions } from './logger';
import { redactError } from './redact-error';

const CANARY = 'Quist-canary-7f3a';

/** A driver error as pg builds it from PostgreSQL's ErrorResponse fields. */
function pgError(message: string, fields: Partial<DatabaseError>): DatabaseError {
  return Object.assign(new DatabaseError(message, 100, 'error'), { severity: 'ERROR', ...fields });
}

/** What TypeORM throws: the driver's fields copied onto it, with the statement and its values. */
function queryFailed(driver: DatabaseError): QueryFailedError {
  return new QueryFailedError(
    'INSERT INTO users (email, display_name) VALUES ($1, $2)',
    [`${CANARY}@example.test`, `Ms ${CANARY}`],
    driver,
  );
}

const unique = () =>
  pgError('duplicate key value violates unique constraint "users_email_idx"', {
    code: '23505',
    detail: `Key (email)=(${CANARY}@example.test) already exists.`,
    schema: 'public',
    table: 'users',
    constraint: 'users_email_idx',
    routine: '_bt_check_unique',
  });

describe('redactError', () => {
  it('drops the parameters, the driver error and the detail of a failed statement, keeping what diagnoses it', () => {
    const out = redactError(queryFailed(unique())) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain(CANARY);
    expect(out).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint "users_email_idx"',
      code: '23505',
      table: 'users',
      constraint: 'users_email_idx',
      query: 'INSERT INTO users (email, display_name) VALUES ($1, $2)',
    });
    expect(out).not.toHaveProperty('parameters');
    expect(out).not.toHaveProperty('driverError');
    expect(out).not.toHaveProperty('detail');
    expect(String(out.stack)).toMatch(/^QueryFailedError: duplicate key value[^\n]*\n\s+at /);
  });

  it('replaces a value PostgreSQL quotes in its message, also in the stack and the cause', () => {
    const driver = pgError(`invalid input syntax for type uuid: "${CANARY}"`, {
      code: '22P02',
      where: `unnamed portal parameter $1 = '${CANARY}'`,
      routine: 'string_to_uuid',
    });
    const wrapped = new Error('could not save the report', { cause: queryFailed(driver) });
    const out = redactError(wrapped) as Record<string, any>;
    expect(JSON.stringify(out)).not.toContain(CANARY);
    expect(out.message).toBe('could not save the report');
    expect(out.cause.message).toBe('invalid input syntax for type uuid: "[redacted]"');
    expect(out.cause.code).toBe('22P02');
    expect(out.cause.stack).toContain('invalid input syntax for type uuid: "[redacted]"');
    expect(redactError(driver)).toMatchObject({ type: 'DatabaseError', code: '22P02' });
    expect(JSON.stringify(redactError(driver))).not.toContain(CANARY);
  });

  it('keeps connection errors and plain errors readable, and passes non-objects through', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 5432,
      config: { password: CANARY },
    });
    expect(redactError(refused)).toMatchObject({
      type: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:5432',
      code: 'ECONNREFUSED',
      port: 5432,
    });
    expect(JSON.stringify(redactError(refused))).not.toContain(CANARY);
    const agg = new AggregateError([refused], 'all attempts failed');
    expect((redactError(agg) as { errors: unknown[] }).errors).toHaveLength(1);
    expect(redactError('text')).toBe('text');
    expect(redactError(undefined)).toBeUndefined();
  });

  it("is the root logger's err serializer: a logged failed statement carries no value", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pino(loggerOptions('trace', false), sink);
    logger.error({ err: queryFailed(unique()) }, 'request failed');
    logger.warn(queryFailed(unique()), 'query failed');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain(CANARY);
    expect(JSON.parse(lines[0]).err).toMatchObject({ code: '23505', constraint: 'users_email_idx' });

    // the broken variant a negative control runs prints them
    const leaky = pino(loggerOptions('trace', false, { unredactedErrors: true }), sink);
    leaky.error({ err: queryFailed(unique()) }, 'request failed');
    expect(lines[2]).toContain(CANARY);
  });
});
