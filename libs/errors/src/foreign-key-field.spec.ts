import { foreignKeyField, toErrorResponse } from './all-exceptions.filter';

const violation = (over: Record<string, unknown> = {}) =>
  Object.assign(new Error('insert or update on table "alerts" violates foreign key constraint'), {
    code: '23503',
    table: 'alerts',
    constraint: 'alerts_offender_profile_id_fkey',
    detail: 'Key (partnership_id, offender_profile_id)=(…) is not present in table "subjects".',
    ...over,
  });

describe('foreign key violations', () => {
  it('name the request field from the constraint, directly or inside a driverError', () => {
    expect(foreignKeyField(violation())).toBe('offenderProfileId');
    expect(foreignKeyField({ name: 'QueryFailedError', driverError: violation() })).toBe('offenderProfileId');
  });

  it('answer 400 naming the field, without the key values', () => {
    const res = toErrorResponse(violation());
    expect(res).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'offenderProfileId', problems: ['does not exist in this partnership'] }],
    });
    expect(JSON.stringify(res)).not.toContain('Key (');
  });

  it('leave other errors alone: a delete blocked by a reference, an unconventional name, another code', () => {
    expect(
      foreignKeyField(
        violation({ message: 'update or delete on table "subjects" violates foreign key constraint' }),
      ),
    ).toBeNull();
    expect(foreignKeyField(violation({ constraint: 'FK_abc123' }))).toBeNull();
    expect(foreignKeyField(violation({ code: '23505' }))).toBeNull();
    expect(toErrorResponse(violation({ code: '23505' })).statusCode).toBe(409);
  });
});
