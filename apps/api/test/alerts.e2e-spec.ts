import { Role } from '@app/auth';
import { AlertTarget, AlertType, raiseAlert } from '@app/alerts';
import {
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(60_000);

describe('alerts over REST', () => {
  let api: TestApi;
  let p: GivenPartnership;
  const info = (message: string, target: object = { kind: 'partnership' }) => ({
    type: 'information',
    message,
    target,
  });

  beforeAll(async () => {
    api = await startTestApi({ ALERT_RATE_LIMIT_PER_MINUTE: '8' });
    p = await givenPartnership(api);
  });
  afterAll(() => api.close());

  it('validates payloads and names the field', async () => {
    const coord = p.tokens[Role.Coordinator];
    const cases: [object, string][] = [
      [{ message: 'x', target: { kind: 'partnership' } }, 'type'],
      [{ type: 'information', target: { kind: 'partnership' } }, 'message'],
      [{ ...info('x'), message: 'x'.repeat(501) }, 'message'],
      [{ ...info('x'), target: { kind: 'everywhere' } }, 'target.kind'],
      [{ ...info('x'), target: { kind: 'talk_group' } }, 'target.talkGroupId'],
      [{ ...info('x'), priority: 'emergency' }, 'priority'],
      [{ ...info('x'), offenderProfileId: '00000000-0000-4000-8000-000000000000' }, 'offenderProfileId'],
      [{ ...info('x'), expiresInSeconds: 5 }, 'expiresInSeconds'],
      [{ ...info('x'), partnershipId: p.partnershipId }, 'partnershipId'],
    ];
    for (const [body, field] of cases) {
      const res = await api.http.post('/api/v1/alerts', body, coord);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('lets coordinators broadcast, refuses police and analysts, and shops unless the partnership allows', async () => {
    const ok = await api.http.post(
      '/api/v1/alerts',
      {
        ...info('Known shoplifter'),
        type: 'offender_sighted',
        // a subject of this partnership: any other id is refused (see references.e2e-spec.ts)
        offenderProfileId: (
          await api.http.post('/api/v1/subjects', buildSubjectRequest(), p.tokens[Role.Coordinator])
        ).body.id,
      },
      p.tokens[Role.Coordinator],
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ type: 'offender_sighted', priority: 'high', seq: expect.any(Number) });
    expect((await api.http.post('/api/v1/alerts', info('x'), p.tokens[Role.Police])).status).toBe(403);
    expect((await api.http.post('/api/v1/alerts', info('x'), p.tokens[Role.Analyst])).status).toBe(403);
    expect((await api.http.get('/api/v1/alerts', p.tokens[Role.Analyst])).status).toBe(403);

    const group = await api.http.post(
      '/api/v1/talk-groups',
      { name: 'Pubwatch' },
      p.tokens[Role.Coordinator],
    );
    await api.http.request('PUT', `/api/v1/talk-groups/${group.body.id}/stores`, {
      token: p.tokens[Role.Coordinator],
      body: { storeIds: [p.storeIds[0]] },
    });
    const toGroup = info('Suspicious group near the tills', {
      kind: 'talk_group',
      talkGroupId: group.body.id,
    });
    const tablet = await givenTablet(api, p, 0);
    expect((await api.http.post('/api/v1/alerts', toGroup, tablet.token)).status).toBe(403);

    const allow = await api.http.request('PUT', '/api/v1/radio-settings', {
      token: p.tokens[Role.Coordinator],
      body: { shopsMayRaise: true },
    });
    expect(allow.body).toEqual({ shopsMayRaise: true });
    const fromTablet = await api.http.post('/api/v1/alerts', toGroup, tablet.token);
    expect(fromTablet.status).toBe(201);
    expect(fromTablet.body.sender).toEqual({ id: tablet.deviceId, kind: 'device', storeId: p.storeIds[0] });
    // shops stay within their talk groups
    expect((await api.http.post('/api/v1/alerts', info('x'), p.tokens[Role.Shopworker])).status).toBe(400);
    const other = await givenTablet(api, p, 1);
    expect((await api.http.post('/api/v1/alerts', toGroup, other.token)).status).toBe(403);
    // the sending store sees who has acknowledged its alert
    expect((await api.http.get(`/api/v1/alerts/${fromTablet.body.id}/acks`, tablet.token)).status).toBe(200);
  });

  it('leaves no half record and no gap in the sequence when raising fails', async () => {
    const before = await api.http.get('/api/v1/alerts?limit=1', p.tokens[Role.Coordinator]);
    const lastSeq = before.body.items[0].seq as number;
    const bad = await api.http.post(
      '/api/v1/alerts',
      info('x', { kind: 'store', storeId: '00000000-0000-4000-8000-000000000000' }),
      p.tokens[Role.Admin],
    );
    expect(bad.status).toBe(400);
    const [{ n }] = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM alerts WHERE partnership_id = $1`,
      [p.partnershipId],
    );
    expect(n).toBe(lastSeq);
    // the api and the worker raise inside their own transactions (e.g. a serial-offender flag)
    const raised = await api.db.owner.transaction((em) =>
      raiseAlert(
        em,
        {
          partnershipId: p.partnershipId,
          actorId: null,
          actorKind: 'system',
          storeId: null,
          requestId: 'job-1',
        },
        {
          type: AlertType.OffenderSighted,
          message: 'Serial offender flagged',
          target: { kind: AlertTarget.Partnership },
        },
      ),
    );
    expect(Number(raised.seq)).toBe(lastSeq + 1);
    const [outbox] = await api.db.owner.query(
      `SELECT name, rooms, payload->>'id' AS id FROM outbox WHERE payload->>'id' = $1`,
      [raised.id],
    );
    expect(outbox).toEqual({ name: 'alert', rooms: [`partnership:${p.partnershipId}`], id: raised.id });
  });

  it('lists newest first with a cursor, and since a seq', async () => {
    const page1 = await api.http.get('/api/v1/alerts?limit=2', p.tokens[Role.Police]);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api.http.get(
      `/api/v1/alerts?limit=2&cursor=${page1.body.nextCursor}`,
      p.tokens[Role.Police],
    );
    expect(page2.body.items[0].seq).toBe(page1.body.items[1].seq - 1);
    const since = await api.http.get('/api/v1/alerts?afterSeq=2', p.tokens[Role.Police]);
    expect(since.body.items.every((a: { seq: number }) => a.seq > 2)).toBe(true);
    expect((await api.http.get('/api/v1/alerts?cursor=abc', p.tokens[Role.Police])).status).toBe(400);
  });

  it('rate-limits each sender', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      statuses.push((await api.http.post('/api/v1/alerts', info(`burst ${i}`), p.tokens[Role.Admin])).status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(8);
    // another sender is unaffected
    expect(
      (await api.http.post('/api/v1/alerts', info('still fine'), p.tokens[Role.Coordinator])).status,
    ).toBe(201);
  });
});
