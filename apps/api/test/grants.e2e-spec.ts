import { randomBytes } from 'node:crypto';
import { Role } from '@app/auth';
import { User } from '@app/identity';
import { givenPartnership, type GivenPartnership, startTestApi, type TestApi } from '@app/testing';

jest.setTimeout(300_000);

type Actor = Role | 'device';
type Action = 'create' | 'change from' | 'change to' | 'disable' | 're-enable';

const ROLES = Object.values(Role);
const ACTORS: Actor[] = [...ROLES, 'device'];
const ACTIONS: Action[] = ['create', 'change from', 'change to', 'disable', 're-enable'];

/**
 * The grant matrix as DEVELOPMENT.md states it, written out here rather than imported, so a change
 * to libs/auth/src/grants.ts that is not also made here fails. Every action has the same column
 * (re-enabling is governed by the disable grant).
 */
const MAY_MANAGE: Record<Actor, Role[]> = {
  admin: ROLES,
  coordinator: [Role.Shopworker, Role.StoreManager],
  store_manager: [],
  shopworker: [],
  police: [],
  analyst: [],
  device: [],
};

const isShop = (r: Role) => r === Role.Shopworker || r === Role.StoreManager;

describe('grant matrix: who may create, change and disable whom', () => {
  let api: TestApi;
  let p: GivenPartnership;
  const tokens = new Map<Actor, string>();

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    for (const role of ROLES) {
      tokens.set(role, p.tokens[role]);
    }
    const enrol = await api.http.post(
      '/api/v1/devices',
      { storeId: p.storeIds[0], name: 'Till G' },
      p.tokens.admin,
    );
    const device = await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential });
    tokens.set('device', device.body.accessToken);
  });
  afterAll(() => api.close());

  const storeFor = (role: Role) => (isShop(role) ? p.storeIds[0] : null);

  async function freshUser(role: Role): Promise<string> {
    const { identifiers } = await api.db.owner.manager.insert(User, {
      partnershipId: p.partnershipId,
      storeId: storeFor(role),
      email: `grant-${randomBytes(5).toString('hex')}@grants.test`,
      displayName: 'Target',
      role,
      passwordHash: 'x',
    });
    return identifiers[0].id as string;
  }

  const stored = (id: string) => api.db.owner.manager.findOneByOrFail(User, { id });

  /** Performs one cell; returns the status and whether the database shows the effect. */
  async function perform(actor: Actor, action: Action, target: Role): Promise<[number, boolean]> {
    const token = tokens.get(actor)!;
    if (action === 'create') {
      const email = `new-${randomBytes(5).toString('hex')}@grants.test`;
      const res = await api.http.post(
        '/api/v1/users',
        {
          email,
          displayName: 'New',
          role: target,
          ...(isShop(target) ? { storeId: p.storeIds[0] } : {}),
          password: 'a-long-enough-password',
        },
        token,
      );
      return [res.status, await api.db.owner.manager.existsBy(User, { email })];
    }
    if (action === 'disable') {
      const id = await freshUser(target);
      const res = await api.http.request('DELETE', `/api/v1/users/${id}`, { token });
      return [res.status, (await stored(id)).disabledAt !== null];
    }
    if (action === 're-enable') {
      const id = await freshUser(target);
      await api.db.owner.manager.update(User, { id }, { disabledAt: new Date() });
      const res = await api.http.request('POST', `/api/v1/users/${id}/enable`, { token });
      return [res.status, (await stored(id)).disabledAt === null];
    }
    // change from `target` to a shop role, or from a shopworker to `target`
    const from = action === 'change from' ? target : Role.Shopworker;
    const to =
      action === 'change to' ? target : target === Role.Shopworker ? Role.StoreManager : Role.Shopworker;
    const id = await freshUser(from);
    const res = await api.http.request('PATCH', `/api/v1/users/${id}`, {
      token,
      body: { role: to, storeId: storeFor(to) },
    });
    return [res.status, (await stored(id)).role === to && from !== to];
  }

  describe.each(ACTIONS)('%s', (action) => {
    it.each(ACTORS)('as %s, on every role', async (actor) => {
      const failures: string[] = [];
      for (const target of ROLES) {
        // `change to` a shopworker from a shopworker changes nothing; it is covered by `change from`
        if (action === 'change to' && target === Role.Shopworker) {
          continue;
        }
        const allowed = MAY_MANAGE[actor].includes(target);
        const want = allowed ? (action === 'create' ? 201 : 200) : 403;
        const [status, effect] = await perform(actor, action, target);
        if (status !== want || effect !== allowed) {
          failures.push(`${actor} ${action} ${target}: ${status} (want ${want}), effect ${effect}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  it('nobody changes or disables their own account, so the last admin stays', async () => {
    const disable = await api.http.request('DELETE', `/api/v1/users/${p.users.admin.id}`, {
      token: p.tokens.admin,
    });
    expect(disable.status).toBe(403);
    const demote = await api.http.request('PATCH', `/api/v1/users/${p.users.admin.id}`, {
      token: p.tokens.admin,
      body: { role: 'analyst' },
    });
    expect(demote.status).toBe(403);
    expect(await stored(p.users.admin.id)).toMatchObject({ role: 'admin', disabledAt: null });
  });

  it('names the field for a bad change: a shop role without a store, or another partnership’s store', async () => {
    const id = await freshUser(Role.Police);
    const noStore = await api.http.request('PATCH', `/api/v1/users/${id}`, {
      token: p.tokens.admin,
      body: { role: 'shopworker' },
    });
    expect(noStore.status).toBe(400);
    expect(noStore.body.details).toEqual([{ field: 'storeId', problems: ['is required for shop roles'] }]);
    const foreign = await givenPartnership(api);
    const foreignStore = await api.http.request('PATCH', `/api/v1/users/${id}`, {
      token: p.tokens.admin,
      body: { role: 'shopworker', storeId: foreign.storeIds[0] },
    });
    expect(foreignStore.status).toBe(400);
    expect(foreignStore.body.details[0].field).toBe('storeId');
    const empty = await api.http.request('PATCH', `/api/v1/users/${id}`, { token: p.tokens.admin, body: {} });
    expect(empty.status).toBe(400);
    // another partnership's user is not found, whoever asks
    const res = await api.http.request('PATCH', `/api/v1/users/${foreign.users.shopworker.id}`, {
      token: p.tokens.admin,
      body: { role: 'store_manager' },
    });
    expect(res.status).toBe(404);
  });
});
