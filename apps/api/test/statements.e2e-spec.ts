import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  postStatement,
  startTestApi,
  type TestApi,
} from '@app/testing';

const statement = (over: Record<string, unknown> = {}) => ({
  witnessName: 'Sam Jones',
  witnessOccupation: 'Store assistant',
  statementText: 'At about 14:00 I was at till 2 when a man I did not know filled a bag with steak.',
  pageCount: 1,
  declarationAcknowledged: true,
  signatureName: 'Sam Jones',
  ...over,
});

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

describe('MG11 witness statements', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let tablet: { deviceId: string; token: string };
  let incidentId: string;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    tablet = await givenTablet(api, p);
    incidentId = (await postIncident(api, tablet.token)).body.id;
  });
  afterAll(() => api.close());

  const url = (suffix = '') => `/api/v1/incidents/${incidentId}/statements${suffix}`;
  const post = (body: Record<string, unknown>, token: string, key?: string | null) =>
    postStatement(api, token, incidentId, body, key);
  const count = async (table: string) =>
    (await api.db.owner.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('takes a statement only with the s.9 declaration acknowledged and a typed signature', async () => {
    const missing = await post(statement({ declarationAcknowledged: false }), tablet.token);
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].field).toBe('declarationAcknowledged');
    const unsigned = await post(statement({ signatureName: '' }), tablet.token);
    expect(unsigned.body.details[0].field).toBe('signatureName');

    const res = await post(statement(), tablet.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      version: 1,
      supersedesId: null,
      declarationAcknowledged: true,
      signatureName: 'Sam Jones',
      recordedBy: tablet.deviceId,
      contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.declarationText).toContain('consisting of 1 page(s) each signed by me');
    expect(res.body.declarationText).toContain('liable to prosecution');
    expect(Date.parse(res.body.signedAt)).not.toBeNaN();
  });

  it('is immutable once signed: no route edits it and the database refuses changes, even from the owner', async () => {
    const s = (await post(statement({ witnessName: 'Alex Doe' }), tablet.token)).body;
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await api.http.request(method, url(`/${s.id}`), {
        token: p.tokens.coordinator,
        body: method === 'DELETE' ? undefined : { statementText: 'changed' },
      });
      expect([method, r.status]).toEqual([method, 404]);
    }
    const app = new Client({ connectionString: api.db.config.db.url });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [p.partnershipId]);
      await expect(
        app.query(`UPDATE witness_statements SET statement_text = 'changed' WHERE id = $1`, [s.id]),
      ).rejects.toThrow(/permission denied/);
      await app.query('ROLLBACK');
    } finally {
      await app.end();
    }
    await expect(
      api.db.owner.query(`UPDATE witness_statements SET statement_text = 'changed' WHERE id = $1`, [s.id]),
    ).rejects.toThrow(/append-only/);
    await expect(api.db.owner.query(`DELETE FROM witness_statements WHERE id = $1`, [s.id])).rejects.toThrow(
      /append-only/,
    );
    const after = await api.http.get(url(`/${s.id}`), p.tokens.coordinator);
    expect(after.body).toEqual(s);
  });

  it('corrects by a new signed version pointing at the old one, which stays as it was', async () => {
    const v1 = (await post(statement({ witnessName: 'Pat Lee' }), tablet.token)).body;
    const fix = statement({ witnessName: 'Pat Lee', statementText: 'Correction: it was 14:10, not 14:00.' });
    const v2 = await api.http.post(url(`/${v1.id}/corrections`), fix, p.tokens.store_manager);
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, supersedesId: v1.id, statementText: fix.statementText });
    expect(v2.body.contentSha256).not.toBe(v1.contentSha256);
    // only the latest version can be corrected: no forks
    const fork = await api.http.post(url(`/${v1.id}/corrections`), fix, p.tokens.coordinator);
    expect(fork.status).toBe(409);
    const v3 = await api.http.post(url(`/${v2.body.id}/corrections`), fix, p.tokens.coordinator);
    expect(v3.body).toMatchObject({ version: 3, supersedesId: v2.body.id });
    expect((await api.http.get(url(`/${v1.id}`), p.tokens.police)).body).toEqual(v1);
    const list = (await api.http.get(url(), p.tokens.police)).body.items as { id: string }[];
    expect(list.map((x) => x.id)).toEqual(expect.arrayContaining([v1.id, v2.body.id, v3.body.id]));
  });

  it('keeps statements to the store, the partnership and the right roles', async () => {
    const otherStore = await givenTablet(api, p, 1);
    expect((await post(statement(), otherStore.token)).status).toBe(403);
    expect((await api.http.get(url(), otherStore.token)).status).toBe(403);
    expect((await api.http.get(url(), p.tokens.analyst)).status).toBe(403);
    const stranger = await givenPartnership(api);
    expect((await api.http.get(url(), stranger.tokens.coordinator)).status).toBe(404);
    expect((await post(statement(), stranger.tokens.police)).status).toBe(404);
  });

  describe('Idempotency-Key (as for reports)', () => {
    it('answers 400 without a key (or with a malformed one) and stores nothing', async () => {
      const before = [await count('witness_statements'), await count('idempotency_keys')];
      const missing = await post(statement(), tablet.token, null);
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING', statusCode: 400 });
      const malformed = await post(statement(), tablet.token, 'has space');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
      expect([await count('witness_statements'), await count('idempotency_keys')]).toEqual(before);
    });

    it('stores the response with the statement, replays a retry byte for byte, and refuses the same key with another body (422)', async () => {
      const key = randomUUID();
      const body = statement({ witnessName: 'Kim Retry' });
      const first = await post(body, tablet.token, key);
      expect(first.status).toBe(201);
      const before = await count('witness_statements');
      for (let i = 0; i < 3; i++) {
        const reordered = Object.fromEntries(Object.entries(body).reverse());
        const retry = await post(reordered, tablet.token, key);
        expect(retry.status).toBe(201);
        expect(retry.text).toBe(first.text);
        expect(retry.headers.get('idempotent-replayed')).toBe('true');
      }
      const changed = await post({ ...body, statementText: 'Something else entirely.' }, tablet.token, key);
      expect(changed.status).toBe(422);
      expect(changed.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', statusCode: 422 });
      // the same key and body on another report is another request, not a replay of this one
      const otherIncident = (await postIncident(api, tablet.token)).body.id as string;
      const elsewhere = await postStatement(api, tablet.token, otherIncident, body, key);
      expect(elsewhere.status).toBe(422);
      expect(await count('witness_statements')).toBe(before);
      const stored = await api.db.owner.query(
        `SELECT principal_id, state, status_code, response_body, resource_type, resource_id
           FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      expect(stored).toEqual([
        {
          principal_id: tablet.deviceId,
          state: 'completed',
          status_code: 201,
          response_body: first.text,
          resource_type: 'witness_statement',
          resource_id: first.body.id,
        },
      ]);
    });

    it('scopes keys to the principal and partnership: the same string elsewhere is another key', async () => {
      const key = randomUUID();
      const mine = await post(statement(), tablet.token, key);
      const theirs = await post(statement(), p.tokens.store_manager, key);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(mine.body.id).not.toBe(theirs.body.id);
      const stranger = await givenPartnership(api);
      const strangerTablet = await givenTablet(api, stranger);
      const strangerIncident = (await postIncident(api, strangerTablet.token)).body.id as string;
      const foreign = await postStatement(api, strangerTablet.token, strangerIncident, statement(), key);
      expect(foreign.status).toBe(201);
      expect(foreign.body.incidentId).toBe(strangerIncident);
    });

    it('concurrent duplicates make exactly one statement; the others replay it or get 409', async () => {
      const key = randomUUID();
      const body = statement({ statementText: `Concurrent ${key}` });
      const results = await Promise.all(Array.from({ length: 12 }, () => post(body, tablet.token, key)));
      expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.text)).size).toBe(1);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      }
      const rows = await api.db.owner.query(`SELECT id FROM witness_statements WHERE statement_text = $1`, [
        `Concurrent ${key}`,
      ]);
      expect(rows).toHaveLength(1);
      const retry = await post(body, tablet.token, key);
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(rows[0].id);
    });

    it('a refused request (report not found, other store) keeps no key, so its retry runs afresh', async () => {
      const key = randomUUID();
      const before = [await count('witness_statements'), await count('idempotency_keys')];
      const missing = await postStatement(api, tablet.token, randomUUID(), statement(), key);
      expect(missing.status).toBe(404);
      const otherStore = await givenTablet(api, p, 1);
      const refused = await post(statement(), otherStore.token, key);
      expect(refused.status).toBe(403);
      expect([await count('witness_statements'), await count('idempotency_keys')]).toEqual(before);
      const retry = await post(statement(), tablet.token, key);
      expect(retry.status).toBe(201);
    });
  });
});
