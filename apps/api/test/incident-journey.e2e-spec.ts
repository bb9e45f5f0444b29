import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildIncidentRequest,
  buildJpeg,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  type HttpResult,
  postIncident,
  postStatement,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';

interface LogRow {
  actor_id: string;
  actor_kind: string;
  action: string;
  object_type: string;
  object_id: string;
  justification: string | null;
}

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

describe('done when: a tablet report with a statement and a CCTV still, found by the right people only', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;
  let tablet: { deviceId: string; token: string };

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    tablet = await givenTablet(api, p);
  });
  afterAll(async () => {
    await api.close();
    rmSync(resolve(api.db.config.storage.dir), { recursive: true, force: true });
  });

  /** The access-log rows a request wrote (by its x-request-id). */
  const logOf = async (res: HttpResult | Response): Promise<LogRow[]> => {
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    return api.db.owner.query(
      `SELECT actor_id, actor_kind, action::text, object_type, object_id, justification
         FROM access_log WHERE request_id = $1 ORDER BY seq`,
      [requestId],
    );
  };
  const statement = {
    witnessName: 'Sam Jones',
    statementText: 'I was at till 2 when the man took the steak and swore at me.',
    pageCount: 1,
    declarationAcknowledged: true,
    signatureName: 'Sam Jones',
  };
  const putStill = (incidentId: string, still: Buffer) =>
    api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(still)}`, {
      token: tablet.token,
      raw: still,
      headers: {
        'content-type': 'application/octet-stream',
        'x-evidence-producer': 'Sam%20Jones',
        'x-evidence-filename': 'cam3-1403.jpg',
        'x-evidence-captured-at': '2026-11-20T14:03:00Z',
        'x-evidence-clock-offset': '-90',
      },
    });

  it('files, replays safely, is found by the coordinator and police, 404s elsewhere, and logs every step', async () => {
    const key = randomUUID();
    const body = buildIncidentRequest();
    const filed = await postIncident(api, tablet.token, body, key);
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    expect(await logOf(filed)).toEqual([
      expect.objectContaining({
        actor_id: tablet.deviceId,
        actor_kind: 'device',
        action: 'collect',
        object_id: id,
      }),
    ]);

    const stmt = await postStatement(api, tablet.token, id, statement);
    expect(stmt.status).toBe(201);
    expect(await logOf(stmt)).toEqual([
      expect.objectContaining({
        action: 'collect',
        object_type: 'witness_statement',
        object_id: stmt.body.id,
      }),
    ]);

    const still = buildJpeg({ seed: 42 });
    const up = await putStill(id, still);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ reference: 'SJ/1', sha256: sha256(still), clockOffsetSeconds: -90 });
    expect(await logOf(up)).toEqual([
      expect.objectContaining({ action: 'collect', object_type: 'exhibit', object_id: up.body.id }),
    ]);

    // the tablet lost the answer and retries: the same bytes, no second report
    const replay = await postIncident(api, tablet.token, body, key);
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(filed.text);
    expect(await logOf(replay)).toEqual([
      expect.objectContaining({
        action: 'consult',
        object_id: id,
        justification: 'idempotent replay to the original sender',
      }),
    ]);
    const n = await api.db.owner.query(`SELECT count(*)::int AS n FROM incidents WHERE partnership_id = $1`, [
      p.partnershipId,
    ]);
    expect(n[0].n).toBe(1);

    for (const role of ['coordinator', 'police'] as const) {
      const list = await api.http.get('/api/v1/incidents?type=theft_shop', p.tokens[role]);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
      expect(await logOf(list)).toEqual([
        expect.objectContaining({ actor_id: p.users[role].id, action: 'consult', object_id: id }),
      ]);
      const one = await api.http.get(`/api/v1/incidents/${id}`, p.tokens[role]);
      expect(one.status).toBe(200);
      expect(await logOf(one)).toEqual([expect.objectContaining({ action: 'consult', object_id: id })]);
      const stmts = await api.http.get(`/api/v1/incidents/${id}/statements`, p.tokens[role]);
      expect(stmts.body.items).toHaveLength(1);
      const exhibits = await api.http.get(`/api/v1/incidents/${id}/evidence`, p.tokens[role]);
      expect(exhibits.body.items.map((e: { reference: string }) => e.reference)).toEqual(['SJ/1']);
    }

    // nobody else: another partnership gets 404 everywhere and finds nothing; analysts get 403
    for (const role of ['coordinator', 'police', 'shopworker'] as const) {
      expect((await api.http.get(`/api/v1/incidents/${id}`, other.tokens[role])).status).toBe(404);
      expect((await api.http.get(`/api/v1/incidents/${id}/statements`, other.tokens[role])).status).toBe(404);
    }
    expect((await api.http.get(`/api/v1/incidents/${id}/evidence`, other.tokens.coordinator)).status).toBe(
      404,
    );
    const theirs = await api.http.get('/api/v1/incidents', other.tokens.coordinator);
    expect(theirs.body.items).toEqual([]);
    expect((await api.http.get(`/api/v1/incidents/${id}`, p.tokens.analyst)).status).toBe(403);
    expect((await api.http.get(`/api/v1/incidents/${id}`, other.tokens.admin)).status).toBe(403);
    const leaked = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM access_log WHERE object_id = $1 AND partnership_id <> $2`,
      [id, p.partnershipId],
    );
    expect(leaked[0].n).toBe(0);

    const verify = await api.http.get('/api/v1/access-log/verify', p.tokens.coordinator);
    expect(verify.body).toMatchObject({ valid: true });
  });

  it('writes an access-log row on every personal-data route', async () => {
    const filed = await postIncident(api, tablet.token, buildIncidentRequest());
    const id = filed.body.id as string;
    const stmt = await postStatement(api, tablet.token, id, statement);
    const still = buildJpeg({ seed: 77 });
    const up = await putStill(id, still);
    const c = p.tokens.coordinator;
    const routes: [string, () => Promise<HttpResult | Response>, Partial<LogRow>[]][] = [
      ['POST /incidents', async () => filed, [{ action: 'collect', object_type: 'incident', object_id: id }]],
      [
        'GET /incidents',
        () => api.http.get('/api/v1/incidents', c),
        [{ action: 'consult', object_type: 'incident' }],
      ],
      [
        'GET /incidents/:id',
        () => api.http.get(`/api/v1/incidents/${id}`, c),
        [{ action: 'consult', object_id: id }],
      ],
      [
        'PATCH /incidents/:id',
        () =>
          api.http.request('PATCH', `/api/v1/incidents/${id}`, {
            token: c,
            body: { version: 1, policeAttended: true },
          }),
        [{ action: 'alter', object_type: 'incident', object_id: id }],
      ],
      [
        'POST /incidents/:id/transitions',
        () =>
          api.http.post(
            `/api/v1/incidents/${id}/transitions`,
            { version: 2, to: 'reviewed' },
            p.tokens.police,
          ),
        [{ action: 'alter', object_id: id }],
      ],
      [
        'GET /incidents/:id/amendments',
        () => api.http.get(`/api/v1/incidents/${id}/amendments`, c),
        [{ action: 'consult', object_id: id }],
      ],
      [
        'POST /incidents/:id/statements',
        async () => stmt,
        [{ action: 'collect', object_type: 'witness_statement', object_id: stmt.body.id }],
      ],
      [
        'GET /incidents/:id/statements',
        () => api.http.get(`/api/v1/incidents/${id}/statements`, c),
        [{ action: 'consult', object_type: 'witness_statement', object_id: stmt.body.id }],
      ],
      [
        'GET /incidents/:id/statements/:sid',
        () => api.http.get(`/api/v1/incidents/${id}/statements/${stmt.body.id}`, c),
        [{ action: 'consult', object_type: 'witness_statement', object_id: stmt.body.id }],
      ],
      [
        'POST /incidents/:id/statements/:sid/corrections',
        () => api.http.post(`/api/v1/incidents/${id}/statements/${stmt.body.id}/corrections`, statement, c),
        [
          { action: 'collect', object_type: 'witness_statement' },
          { action: 'alter', object_type: 'witness_statement', object_id: stmt.body.id },
        ],
      ],
      [
        'PUT /incidents/:id/evidence/:sha256',
        async () => up,
        [{ action: 'collect', object_type: 'exhibit', object_id: up.body.id }],
      ],
      [
        'PUT again (same file)',
        () => putStill(id, still),
        [{ action: 'consult', object_type: 'exhibit', object_id: up.body.id }],
      ],
      [
        'GET /incidents/:id/evidence',
        () => api.http.get(`/api/v1/incidents/${id}/evidence`, c),
        [{ action: 'consult', object_type: 'exhibit', object_id: up.body.id }],
      ],
      [
        'GET /incidents/:id/evidence/:eid/view',
        () =>
          fetch(`${api.http.baseUrl}/api/v1/incidents/${id}/evidence/${up.body.id}/view`, {
            headers: { authorization: `Bearer ${c}` },
          }),
        [{ action: 'consult', object_type: 'exhibit', object_id: up.body.id }],
      ],
    ];
    for (const [name, call, expected] of routes) {
      const res = await call();
      expect([name, res.status < 300]).toEqual([name, true]);
      const rows = await logOf(res);
      expect([name, rows]).toEqual([
        name,
        expect.arrayContaining(expected.map((e) => expect.objectContaining(e))),
      ]);
    }
    // refusals disclose nothing, so they log nothing
    const refused = await api.http.get(`/api/v1/incidents/${id}`, other.tokens.coordinator);
    expect(await logOf(refused)).toEqual([]);
  });
});
