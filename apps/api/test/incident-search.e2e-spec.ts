import {
  buildIncidentRequest,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

describe('finding and amending reports', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;
  const ids: Record<string, string> = {};
  // a subject of p: an incident may name only a subject of its own partnership
  let offenderId: string;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    offenderId = (await api.http.post('/api/v1/subjects', buildSubjectRequest(), p.tokens.coordinator)).body
      .id as string;
    const t0 = await givenTablet(api, p, 0);
    const t1 = await givenTablet(api, p, 1);
    const day = (d: number) => new Date(Date.UTC(2026, 9, d, 12)).toISOString();
    const file = async (name: string, token: string, body: Record<string, unknown>) => {
      const r = await postIncident(api, token, buildIncidentRequest(body));
      if (r.status !== 201) {
        throw new Error(r.text);
      }
      ids[name] = r.body.id;
    };
    await file('theftA', t0.token, { occurredAt: day(1), types: ['theft_shop'] });
    await file('knifeA', t0.token, {
      occurredAt: day(5),
      types: ['robbery', 'threat'],
      weapon: 'knife',
      triggers: ['refusing_age_restricted_sale'],
      offenderId,
    });
    await file('abuseB', t1.token, {
      occurredAt: day(10),
      types: ['verbal_abuse'],
      triggers: ['asking_for_id'],
    });
    await file('draftB', t1.token, { occurredAt: day(11), types: ['fraud'], status: 'draft' });
    await postIncident(
      api,
      (await givenTablet(api, other)).token,
      buildIncidentRequest({ occurredAt: day(5) }),
    );
  });
  afterAll(() => api.close());

  const find = async (token: string, query = '') => {
    const r = await api.http.get(`/api/v1/incidents${query}`, token);
    return {
      status: r.status,
      ids: r.status === 200 ? (r.body.items as { id: string }[]).map((i) => i.id) : [],
      body: r.body,
    };
  };

  it('shows shop roles and tablets their own store only', async () => {
    const sw = await find(p.tokens.shopworker);
    expect(sw.ids.sort()).toEqual([ids.theftA, ids.knifeA].sort());
    expect((await find(p.tokens.store_manager)).ids.sort()).toEqual([ids.theftA, ids.knifeA].sort());
    expect((await find(p.tokens.shopworker, `?storeId=${p.storeIds[1]}`)).status).toBe(403);
    expect((await api.http.get(`/api/v1/incidents/${ids.abuseB}`, p.tokens.shopworker)).status).toBe(403);
  });

  it('lets coordinators and police search the partnership with filters', async () => {
    for (const role of ['coordinator', 'police'] as const) {
      const t = p.tokens[role];
      expect((await find(t)).ids.sort()).toEqual(Object.values(ids).sort());
      expect((await find(t, `?storeId=${p.storeIds[1]}`)).ids.sort()).toEqual(
        [ids.abuseB, ids.draftB].sort(),
      );
      expect((await find(t, '?type=threat')).ids).toEqual([ids.knifeA]);
      expect((await find(t, '?trigger=asking_for_id')).ids).toEqual([ids.abuseB]);
      expect((await find(t, '?weapon=knife')).ids).toEqual([ids.knifeA]);
      expect((await find(t, `?offenderId=${offenderId}`)).ids).toEqual([ids.knifeA]);
      expect((await find(t, '?status=draft')).ids).toEqual([ids.draftB]);
      const range = await find(t, '?occurredFrom=2026-10-04T00:00:00Z&occurredTo=2026-10-10T00:00:00Z');
      expect(range.ids).toEqual([ids.knifeA]);
    }
    const bad = await find(p.tokens.coordinator, '?weapon=bazooka');
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('weapon');
  });

  it('pages with a cursor, newest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await api.http.get(
        `/api/v1/incidents?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        p.tokens.police,
      );
      expect(r.body.items).toHaveLength(1);
      seen.push(r.body.items[0].id);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.draftB, ids.abuseB, ids.knifeA, ids.theftA]);
  });

  it('gives analysts nothing row-level and other partnerships 404', async () => {
    expect((await find(p.tokens.analyst)).status).toBe(403);
    expect((await api.http.get(`/api/v1/incidents/${ids.theftA}`, p.tokens.analyst)).status).toBe(403);
    expect((await find(other.tokens.coordinator)).ids).not.toContain(ids.theftA);
    for (const role of ['coordinator', 'police', 'shopworker'] as const) {
      expect((await api.http.get(`/api/v1/incidents/${ids.theftA}`, other.tokens[role])).status).toBe(404);
    }
  });

  it('keeps every amendment: who, when and what changed; stale versions are refused', async () => {
    const before = (await api.http.get(`/api/v1/incidents/${ids.theftA}`, p.tokens.coordinator)).body;
    const amend = await api.http.request('PATCH', `/api/v1/incidents/${ids.theftA}`, {
      token: p.tokens.police,
      body: {
        version: before.version,
        crimeReference: 'CR/999/26',
        policeAttended: true,
        reason: 'OIC update',
      },
    });
    expect(amend.status).toBe(200);
    expect(amend.body).toMatchObject({
      version: before.version + 1,
      crimeReference: 'CR/999/26',
      policeAttended: true,
    });
    const stale = await api.http.request('PATCH', `/api/v1/incidents/${ids.theftA}`, {
      token: p.tokens.coordinator,
      body: { version: before.version, narrative: 'overwrite' },
    });
    expect(stale.status).toBe(409);
    const history = await api.http.get(`/api/v1/incidents/${ids.theftA}/amendments`, p.tokens.coordinator);
    expect(history.body.items).toEqual([
      {
        version: before.version + 1,
        changedBy: p.users.police.id,
        changedByKind: 'user',
        at: expect.any(String),
        reason: 'OIC update',
        changes: {
          crimeReference: { from: before.crimeReference, to: 'CR/999/26' },
          policeAttended: { from: false, to: true },
        },
      },
    ]);
    const refused = await api.http.request('PATCH', `/api/v1/incidents/${ids.theftA}`, {
      token: p.tokens.coordinator,
      body: { version: before.version + 1, offenders: [{ religion: 'x' }] },
    });
    expect(refused.body.details[0].field).toBe('offenders[0].religion');
  });

  it('moves through draft -> submitted -> reviewed -> closed, by the right roles only', async () => {
    const go = (token: string, version: number, to: string) =>
      api.http.post(`/api/v1/incidents/${ids.draftB}/transitions`, { version, to }, token);
    const draft = (await api.http.get(`/api/v1/incidents/${ids.draftB}`, p.tokens.coordinator)).body;
    expect(draft.reportedAt).toBeNull();
    expect((await go(p.tokens.coordinator, draft.version, 'reviewed')).status).toBe(409);
    const submitted = await go(p.tokens.coordinator, draft.version, 'submitted');
    expect(submitted.body).toMatchObject({ status: 'submitted', reportedAt: expect.any(String) });
    expect((await go(p.tokens.shopworker, submitted.body.version, 'reviewed')).status).toBe(403);
    const reviewed = await go(p.tokens.police, submitted.body.version, 'reviewed');
    expect(reviewed.body.status).toBe('reviewed');
    expect((await go(p.tokens.police, reviewed.body.version, 'closed')).status).toBe(403);
    const closed = await go(p.tokens.coordinator, reviewed.body.version, 'closed');
    expect(closed.body.status).toBe('closed');
    const edit = await api.http.request('PATCH', `/api/v1/incidents/${ids.draftB}`, {
      token: p.tokens.coordinator,
      body: { version: closed.body.version, narrative: 'late change' },
    });
    expect(edit.status).toBe(409);
    const history = (await api.http.get(`/api/v1/incidents/${ids.draftB}/amendments`, p.tokens.coordinator))
      .body;
    expect(history.items.map((a: { changes: { status: { to: string } } }) => a.changes.status.to)).toEqual([
      'submitted',
      'reviewed',
      'closed',
    ]);
  });
});
