import { Role } from '@app/auth';
import { givenPartnership, type GivenPartnership, startTestApi, type TestApi } from '@app/testing';

/** Two requests racing to create the same thing: the unique index picks one, the other gets 409. */
describe('concurrent creation of the same record', () => {
  let api: TestApi;
  let p: GivenPartnership;
  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
  });
  afterAll(() => api.close());

  it('creates one user for one email and answers the others 409, never 500', async () => {
    const body = {
      email: 'same.person@example.org',
      displayName: 'Same Person',
      role: Role.Analyst,
      password: 'a long enough password',
    };
    const statuses = (
      await Promise.all(
        Array.from({ length: 8 }, () => api.http.post('/api/v1/users', body, p.tokens[Role.Admin])),
      )
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const rows = (await api.db.owner.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [
      body.email,
    ])) as { n: number }[];
    expect(rows[0].n).toBe(1);
  });
});
