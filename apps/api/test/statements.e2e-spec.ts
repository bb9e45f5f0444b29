import { Client } from 'pg';
import {
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
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

  it('takes a statement only with the s.9 declaration acknowledged and a typed signature', async () => {
    const missing = await api.http.post(url(), statement({ declarationAcknowledged: false }), tablet.token);
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].field).toBe('declarationAcknowledged');
    const unsigned = await api.http.post(url(), statement({ signatureName: '' }), tablet.token);
    expect(unsigned.body.details[0].field).toBe('signatureName');

    const res = await api.http.post(url(), statement(), tablet.token);
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
    const s = (await api.http.post(url(), statement({ witnessName: 'Alex Doe' }), tablet.token)).body;
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
    const v1 = (await api.http.post(url(), statement({ witnessName: 'Pat Lee' }), tablet.token)).body;
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
    expect((await api.http.post(url(), statement(), otherStore.token)).status).toBe(403);
    expect((await api.http.get(url(), otherStore.token)).status).toBe(403);
    expect((await api.http.get(url(), p.tokens.analyst)).status).toBe(403);
    const stranger = await givenPartnership(api);
    expect((await api.http.get(url(), stranger.tokens.coordinator)).status).toBe(404);
    expect((await api.http.post(url(), statement(), stranger.tokens.police)).status).toBe(404);
  });
});
