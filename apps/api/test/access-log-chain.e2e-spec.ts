import { Role } from '@app/auth';
import {
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(60_000);

/**
 * Access-log rows are staged by the transaction that made the change and join the hash chain after
 * its commit, in batches (ChainAccessLogInBatches). By the time the api answers, the caller's rows
 * are chained; rows a stopped process left pending join at the next batch or read.
 */
describe.each([
  ['as built', {}, true],
  [
    'negative control: rows chained only when the log is read',
    { TEST_DEFECTS: 'access-log-chained-late' },
    false,
  ],
])('the access-log chain, %s', (_name, env, chainedOnAnswer) => {
  let api: TestApi;
  let p: GivenPartnership;
  let tablet: { token: string };
  beforeAll(async () => {
    api = await startTestApi(env);
    p = await givenPartnership(api);
    tablet = await givenTablet(api, p);
  });
  afterAll(() => api.close());

  const chain = () =>
    api.db.owner.query(
      `SELECT seq::int AS seq, action, object_id, prev_hash, hash, access_log_entry_hash(a) AS expected
         FROM access_log a WHERE partnership_id = $1 ORDER BY seq`,
      [p.partnershipId],
    ) as Promise<
      { seq: number; action: string; object_id: string; prev_hash: string; hash: string; expected: string }[]
    >;
  const pending = async () =>
    Number(
      (
        await api.db.owner.query(
          `SELECT count(*)::int AS n FROM access_log_pending WHERE partnership_id = $1`,
          [p.partnershipId],
        )
      )[0].n,
    );

  it('chains 24 concurrent reports before answering: one row each, contiguous and verifying', async () => {
    const answers = await Promise.all(Array.from({ length: 24 }, () => postIncident(api, tablet.token)));
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(201));
    const ids = answers.map((a) => a.body.id as string);

    const rows = await chain();
    const collected = rows.filter((r) => r.action === 'collect' && ids.includes(r.object_id));
    expect({ chained: collected.length, nonePending: (await pending()) === 0 }).toEqual(
      chainedOnAnswer ? { chained: 24, nonePending: true } : { chained: 0, nonePending: false },
    );

    // a reader of the log chains whatever is still pending first, so both variants end the same
    const verdict = await api.http.get('/api/v1/access-log/verify', p.tokens[Role.Admin]);
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ valid: true, brokenAt: null });
    const after = await chain();
    expect(after.map((r) => r.seq)).toEqual(after.map((_r, i) => i + 1));
    expect(after.every((r, i) => r.hash === r.expected && r.prev_hash === (i ? after[i - 1].hash : ''))).toBe(
      true,
    );
    expect(after.filter((r) => r.action === 'collect' && ids.includes(r.object_id))).toHaveLength(24);
    expect(await pending()).toBe(0);
  });

  it('chains rows a stopped process committed but never chained, at the next read of the log', async () => {
    await api.db.owner.query(
      `INSERT INTO access_log_pending (partnership_id, actor_kind, action, object_type, request_id)
       VALUES ($1, 'system', 'consult', 'incident', 'left-pending')`,
      [p.partnershipId],
    );
    const list = await api.http.get('/api/v1/access-log?limit=5', p.tokens[Role.Admin]);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ action: 'consult', requestId: 'left-pending' });
    expect(await pending()).toBe(0);
  });
});
