import { IncidentType } from '@app/incidents';
import {
  buildIncidentRequest,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  seedIncident,
  startTestApi,
  type TestApi,
} from '@app/testing';

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

type Listed = {
  status: number;
  ids: string[];
  body: { items: { id: string }[]; nextCursor: string | null } & Record<string, unknown>;
};

describe('searching reports, subjects and cases (?q=)', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;
  const ids: Record<string, string> = {};
  const day = (d: number) => new Date(Date.UTC(2026, 9, d, 12)).toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    const t0 = await givenTablet(api, p, 0); // High Street Express
    const t1 = await givenTablet(api, p, 1); // Market Square Mini
    const file = async (name: string, token: string, body: Record<string, unknown>) => {
      const r = await postIncident(api, token, buildIncidentRequest(body));
      if (r.status !== 201) {
        throw new Error(r.text);
      }
      ids[name] = r.body.id;
    };
    const razorGoods = [{ description: 'Razor blades, 4 pack', quantity: 3, unitPricePence: 1200 }];
    // the canal three times, and filed first: it must still rank above the newer one-mention report
    await file('canalThrice', t0.token, {
      occurredAt: day(2),
      narrative: 'Ran to the canal. Seen again at the canal, then lost by the canal bridge.',
      goods: razorGoods,
    });
    await file('razor', t0.token, {
      occurredAt: day(3),
      narrative: 'He took them and ran to the canal.',
      goods: razorGoods,
    });
    await file('whiskyMarket', t1.token, { occurredAt: day(6) });
    await file('whiskyHigh', t0.token, { occurredAt: day(8) });
    await file('whiskyHighLate', t0.token, { occurredAt: day(20) });
    await postIncident(
      api,
      (await givenTablet(api, other)).token,
      buildIncidentRequest({ narrative: 'Razor blades by the canal.' }),
    );
  });
  afterAll(() => api.close());

  const list = async (path: string, token: string): Promise<Listed> => {
    const r = await api.http.get(`/api/v1/${path}`, token);
    return {
      status: r.status,
      ids: r.status === 200 ? (r.body.items as { id: string }[]).map((i) => i.id) : [],
      body: r.body,
    };
  };

  it('finds reports by a narrative word (stemmed, as a prefix) and by goods, best match first', async () => {
    const t = p.tokens.coordinator;
    expect((await list('incidents?q=canal', t)).ids).toEqual([ids.canalThrice, ids.razor]);
    // "canals" stems to "canal"; "cana" is the start of "canal"
    expect((await list('incidents?q=canals', t)).ids).toEqual([ids.canalThrice, ids.razor]);
    expect((await list('incidents?q=cana', t)).ids.sort()).toEqual([ids.canalThrice, ids.razor].sort());
    // goods descriptions: the default request's sirloin steak, not the razor blades
    expect((await list('incidents?q=sirloin', t)).ids.sort()).toEqual(
      [ids.whiskyMarket, ids.whiskyHigh, ids.whiskyHighLate].sort(),
    );
    // every word must match
    expect((await list('incidents?q=razor%20whisky', t)).ids).toEqual([]);
    expect((await list('incidents?q=razor%20canal', p.tokens.police)).ids).toEqual([
      ids.canalThrice,
      ids.razor,
    ]);
  });

  it('finds reports by store name, and with the store and date filters', async () => {
    const t = p.tokens.coordinator;
    expect((await list('incidents?q=market%20square', t)).ids).toEqual([ids.whiskyMarket]);
    const filtered = await list(
      `incidents?q=whisky&storeId=${p.storeIds[0]}&occurredFrom=2026-10-07T00:00:00Z&occurredTo=2026-10-10T00:00:00Z`,
      t,
    );
    expect(filtered.ids).toEqual([ids.whiskyHigh]);
    // a shop role searches its own store only
    expect((await list('incidents?q=whisky', p.tokens.shopworker)).ids.sort()).toEqual(
      [ids.whiskyHigh, ids.whiskyHighLate].sort(),
    );
  });

  it("never returns another partnership's reports, subjects or cases", async () => {
    const mine = await list('incidents?q=razor', p.tokens.coordinator);
    const theirs = await list('incidents?q=razor', other.tokens.coordinator);
    // the same rank (razor blades in the goods of both): newest first
    expect(mine.ids).toEqual([ids.razor, ids.canalThrice]);
    expect(theirs.ids).toHaveLength(1);
    expect(mine.ids).not.toContain(theirs.ids[0]);
    const subject = await api.http.post(
      '/api/v1/subjects',
      buildSubjectRequest({ name: 'Theirs Only', aliases: ['Zebedee'] }),
      other.tokens.coordinator,
    );
    expect(subject.status).toBe(201);
    expect((await list('subjects?q=zebedee', p.tokens.coordinator)).ids).toEqual([]);
    expect((await list('subjects?q=zebedee', other.tokens.coordinator)).ids).toEqual([subject.body.id]);
  });

  it('logs every report a search returns as consulted, found by a search (never the words)', async () => {
    const r = await api.http.get('/api/v1/incidents?q=canal', p.tokens.police);
    const rows: {
      action: string;
      object_type: string;
      object_id: string;
      justification: string | null;
      actor_id: string;
    }[] = await api.db.owner.query(
      `SELECT action::text, object_type, object_id, justification, actor_id FROM access_log WHERE request_id = $1 ORDER BY seq`,
      [r.headers.get('x-request-id')],
    );
    expect(rows).toEqual(
      [ids.canalThrice, ids.razor].map((id) => ({
        action: 'consult',
        object_type: 'incident',
        object_id: id,
        justification: 'search',
        actor_id: p.users.police.id,
      })),
    );
  });

  it('finds subjects by a misspelt alias or name, by description, and ranks the closest first', async () => {
    const t = p.tokens.coordinator;
    const make = async (body: Record<string, unknown>) => {
      const r = await api.http.post('/api/v1/subjects', buildSubjectRequest(body), t);
      expect(r.status).toBe(201);
      return r.body as { id: string; reference: string };
    };
    const darren = await make({
      name: 'Darren Smith',
      aliases: ['Dazza'],
      description: { hair: 'bleached blond' },
    });
    const alex = await make({ name: 'Alex Example', aliases: ['Lex'] });
    expect((await list('subjects?q=dazzer', t)).ids).toEqual([darren.id]);
    expect((await list('subjects?q=darrin%20smith', t)).ids).toEqual([darren.id]);
    expect((await list('subjects?q=bleached', t)).ids).toEqual([darren.id]);
    expect((await list(`subjects?q=${darren.reference}`, t)).ids).toEqual([darren.id]);
    await api.db.owner.query(`UPDATE subjects SET reference = 'S-123456' WHERE id = $1`, [darren.id]);
    expect((await list('subjects?q=S-123456', t)).ids).toEqual([darren.id]);
    expect((await list('subjects?q=ginger', t)).ids).toEqual([alex.id]);
    expect((await list('subjects?q=nobody%20like%20this', t)).ids).toEqual([]);
  });

  it('finds cases by reference or title, with the status filter', async () => {
    const t = p.tokens.police;
    const open = async (incidentId: string, title: string) => {
      const r = await api.http.post(
        '/api/v1/cases',
        { incidentId, title, reason: 'opened for the search test' },
        t,
      );
      expect(r.status).toBe(201);
      return r.body as { id: string; reference: string };
    };
    const canal = await open(ids.razor, 'Razor blade thefts by the canal');
    const whisky = await open(ids.whiskyHigh, 'Whisky thefts on the High Street');
    expect((await list('cases?q=canal', t)).ids).toEqual([canal.id]);
    expect((await list('cases?q=thefts', t)).ids.sort()).toEqual([canal.id, whisky.id].sort());
    expect((await list(`cases?q=${encodeURIComponent(whisky.reference)}`, t)).ids).toEqual([whisky.id]);
    // an all-digit reference once read as a negative number ("-12345678") and was never found
    await api.db.owner.query(`UPDATE cases SET reference = 'C-12345678' WHERE id = $1`, [whisky.id]);
    expect((await list('cases?q=C-12345678', t)).ids).toEqual([whisky.id]);
    // a search lists cases only: no serial flags or reports on no case
    const all = await list('cases?q=thefts', t);
    expect((all.body.items as unknown as { kind: string }[]).map((i) => i.kind)).toEqual(['case', 'case']);
    expect((await list('cases?q=canal&status=closed', t)).ids).toEqual([]);
    expect((await list('cases?q=canal', other.tokens.police)).ids).toEqual([]);
  });

  it('refuses bad search parameters with 400 naming the field', async () => {
    const t = p.tokens.coordinator;
    for (const [path, field] of [
      ['incidents?q=', 'q'],
      ['incidents?q=%21%21%21', 'q'],
      [`incidents?q=${'a'.repeat(101)}`, 'q'],
      ['incidents?q=a%E2%80%AEb', 'q'],
      ['subjects?q=%26%7C', 'q'],
      ['incidents?q=canal&occurredFrom=yesterday', 'occurredFrom'],
      ['incidents?q=canal&storeId=nope', 'storeId'],
      ['incidents?q=canal&cursor=bm90IGEgY3Vyc29y', 'cursor'],
    ] as const) {
      const r = await list(path, t);
      expect([path, r.status]).toEqual([path, 400]);
      expect((r.body.details as { field: string }[])[0].field).toBe(field);
    }
    expect((await list('cases?q=%3A%2A', p.tokens.police)).status).toBe(400);
    // a cursor of a search is not a cursor of the plain list, and the other way round
    const ranked = await list('incidents?q=canal&limit=1', t);
    const plain = await list('incidents?limit=1', t);
    expect((await list(`incidents?limit=1&cursor=${ranked.body.nextCursor}`, t)).status).toBe(400);
    expect((await list(`incidents?q=canal&limit=1&cursor=${plain.body.nextCursor}`, t)).status).toBe(400);
  });

  describe('cursor pages', () => {
    const parcels: string[] = [];
    beforeAll(async () => {
      // Seven reports written in one millisecond: three at the same microsecond (only the id orders
      // them), four a microsecond apart; the narratives repeat "parcel" so some ranks tie.
      const times = [0, 0, 0, 1, 2, 3, 4].map((us) => `2026-10-01T09:00:00.1230${us}0Z`);
      const repeats = [1, 2, 1, 3, 2, 1, 1];
      for (const [n, at] of times.entries()) {
        const id = await seedIncident(api.db.owner, {
          partnershipId: p.partnershipId,
          storeId: p.storeIds[1],
          reportedBy: p.users.coordinator.id,
          occurredAt: new Date(day(15)),
          types: [IncidentType.Fraud],
        });
        await api.db.owner.query(`UPDATE incidents SET narrative = $2, created_at = $3 WHERE id = $1`, [
          id,
          `A parcel was taken.${' The parcel was opened.'.repeat(repeats[n] - 1)}`,
          at,
        ]);
        parcels.push(id);
      }
    });

    const walk = async (query: string, limit: number): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: Listed = await list(
          `incidents?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          p.tokens.coordinator,
        );
        expect(r.status).toBe(200);
        expect(r.ids.length).toBeLessThanOrEqual(limit);
        seen.push(...r.ids);
        cursor = r.body.nextCursor;
      } while (cursor);
      return seen;
    };

    it.each([
      ['a search, best match first', 'q=parcel'],
      ['the plain list, newest first', 'type=fraud'],
    ])('%s: pages neither repeat nor skip rows in one millisecond', async (_what, query) => {
      const whole = await walk(query, 50);
      expect(whole.slice().sort()).toEqual(parcels.slice().sort());
      for (const limit of [1, 2, 3]) {
        expect(await walk(query, limit)).toEqual(whole);
      }
    });

    it('puts the most mentions first in a search', async () => {
      const whole = await walk('q=parcel', 50);
      expect(whole[0]).toBe(parcels[3]);
      expect(whole.slice(1, 3).sort()).toEqual([parcels[1], parcels[4]].sort());
    });
  });
});
