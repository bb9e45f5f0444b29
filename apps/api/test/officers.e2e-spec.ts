import { Role } from '@app/auth';
import { User } from '@app/identity';
import { givenPartnership, type GivenPartnership, startTestApi, type TestApi } from '@app/testing';

jest.setTimeout(60_000);

/** GET /officers: the police users a case can be handed to, for the assignment picker. */
describe('officers', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
  });
  afterAll(() => api.close());

  it('lists the partnership’s active police users by name only, and logs the read', async () => {
    const [second, gone] = await api.db.owner.manager.save(User, [
      {
        partnershipId: p.partnershipId,
        email: `pc2-${p.partnershipId}@t.test`,
        displayName: 'PC Second',
        role: Role.Police,
        passwordHash: 'x',
      },
      {
        partnershipId: p.partnershipId,
        email: `pc3-${p.partnershipId}@t.test`,
        displayName: 'PC Gone',
        role: Role.Police,
        passwordHash: 'x',
        disabledAt: new Date(),
      },
    ]);
    const res = await api.http.get('/api/v1/officers', p.tokens.police);
    expect(res.status).toBe(200);
    const ids = (res.body.items as { id: string }[]).map((o) => o.id).sort();
    expect(ids).toEqual([p.users.police.id, second.id].sort());
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(other.users.police.id);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['displayName', 'id']);
    const [{ n }] = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM access_log
        WHERE action = 'consult' AND object_type = 'user' AND actor_id = $1 AND object_id = ANY($2)`,
      [p.users.police.id, ids],
    );
    expect(n).toBe(2);
  });

  it('is for police only (403) and takes page parameters checked (400 naming the field)', async () => {
    expect((await api.http.get('/api/v1/officers', p.tokens.coordinator)).status).toBe(403);
    const bad = await api.http.get('/api/v1/officers?limit=abc', p.tokens.police);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('limit');
  });
});
