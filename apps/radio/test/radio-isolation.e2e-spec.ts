import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
import {
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  type RadioPair,
  recordingClient,
  type RecordingClient,
  startRadioPair,
  startTestApi,
  startTestWorker,
  type TestApi,
} from '@app/testing';

// Starting an api, two radios and a worker takes a while on a shared machine (the project's
// testTimeout is a global option jest ignores per project).
jest.setTimeout(60_000);

describe('radio isolation between partnerships and talk groups', () => {
  let api: TestApi;
  let radio: RadioPair;
  let worker: INestApplicationContext;
  let a: GivenPartnership;
  let b: GivenPartnership;
  const clients: RecordingClient[] = [];
  const CANARY = 'CANARY-7f3e-partnership-b';

  beforeAll(async () => {
    api = await startTestApi({ ALERT_RATE_LIMIT_PER_MINUTE: '1000' });
    radio = await startRadioPair(api.db.config);
    worker = await startTestWorker(api.db.config);
    a = await givenPartnership(api);
    b = await givenPartnership(api, { canary: CANARY });
  });
  afterAll(async () => {
    for (const c of clients) {
      c.client.close();
    }
    await radio.close();
    await worker.close();
    await api.close();
  });

  const connect = async (instance: 0 | 1, token: string, lastSeq?: number) => {
    const c = recordingClient(radio.urls[instance], radio.path, token, { lastSeq });
    clients.push(c);
    await c.client.connect();
    return c;
  };
  const raise = async (token: string, body: object) => {
    const res = await api.http.post('/api/v1/alerts', body, token);
    expect(res.status).toBe(201);
    return res.body as { id: string; seq: number; message: string };
  };
  const info = (message: string, target: object = { kind: 'partnership' }) => ({
    type: 'information',
    message,
    target,
  });

  it('never lets an alert of partnership B reach A, live, in replay or over REST', async () => {
    const aShop = await connect(0, a.tokens[Role.Shopworker], 0);
    const aPolice = await connect(1, a.tokens[Role.Police], 0);
    const aCoord = await connect(0, a.tokens[Role.Coordinator], 0);
    const bShop = await connect(1, b.tokens[Role.Shopworker], 0);

    const canary = await raise(b.tokens[Role.Coordinator], info(`${CANARY} partnership-wide`));
    const canaryStore = await raise(
      b.tokens[Role.Coordinator],
      info(`${CANARY} to a store`, { kind: 'store', storeId: b.storeIds[0] }),
    );
    // Published after the canaries by the same relay: once A has it, a leak would have shown.
    const marker = await raise(a.tokens[Role.Coordinator], info('A marker'));
    for (const c of [aShop, aPolice, aCoord]) {
      await eventually(() => expect(c.shown.map((s) => s.id)).toContain(marker.id));
    }
    await eventually(() => expect(bShop.shown.map((s) => s.id)).toEqual([canary.id, canaryStore.id]));
    for (const c of [aShop, aPolice, aCoord]) {
      expect(c.shown.map((s) => s.id)).toEqual([marker.id]);
      expect(JSON.stringify(c.shown)).not.toContain(CANARY);
    }

    // replay from the beginning, on the other instance
    const late = await connect(1, a.tokens[Role.Coordinator], 0);
    expect(late.shown.map((s) => s.id)).toEqual([marker.id]);

    // REST: B's alert does not exist for A (404, never 403), and lists hold none of B's
    const foreign = await api.http.get(`/api/v1/alerts/${canary.id}`, a.tokens[Role.Coordinator]);
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain(CANARY);
    const foreignAcks = await api.http.get(`/api/v1/alerts/${canary.id}/acks`, a.tokens[Role.Coordinator]);
    expect(foreignAcks.status).toBe(404);
    const list = await api.http.get('/api/v1/alerts', a.tokens[Role.Police]);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(CANARY);
    // each partnership numbers its own alerts
    expect(canary.seq).toBe(1);
    expect(marker.seq).toBe(1);
  });

  it('delivers talk-group and store alerts only to their stores, plus the partnership staff', async () => {
    const coord = a.tokens[Role.Coordinator];
    const group = await api.http.post('/api/v1/talk-groups', { name: 'Town centre' }, coord);
    expect(group.status).toBe(201);
    const set = await api.http.request('PUT', `/api/v1/talk-groups/${group.body.id}/stores`, {
      token: coord,
      body: { storeIds: [a.storeIds[0]] },
    });
    expect(set.status).toBe(200);
    expect(set.body.storeIds).toEqual([a.storeIds[0]]);

    const tablet1 = await givenTablet(api, a, 1);
    const inGroup = await connect(0, a.tokens[Role.Shopworker]); // store 0
    const outside = await connect(1, tablet1.token); // store 1
    const police = await connect(1, a.tokens[Role.Police]);
    const bCoord = await connect(0, b.tokens[Role.Coordinator]);

    const toGroup = await raise(
      coord,
      info('town centre only', { kind: 'talk_group', talkGroupId: group.body.id }),
    );
    const toStore1 = await raise(coord, info('store 1 only', { kind: 'store', storeId: a.storeIds[1] }));
    const everyone = await raise(coord, info('everyone'));

    await eventually(() => {
      expect(inGroup.shown.map((s) => s.id)).toEqual(expect.arrayContaining([toGroup.id, everyone.id]));
      expect(outside.shown.map((s) => s.id)).toEqual(expect.arrayContaining([toStore1.id, everyone.id]));
      expect(police.shown.map((s) => s.id)).toEqual(
        expect.arrayContaining([toGroup.id, toStore1.id, everyone.id]),
      );
    });
    expect(inGroup.shown.map((s) => s.id)).not.toContain(toStore1.id);
    expect(outside.shown.map((s) => s.id)).not.toContain(toGroup.id);
    const all = [toGroup.id, toStore1.id, everyone.id];
    expect(bCoord.shown.map((s) => s.id).filter((id) => all.includes(id))).toEqual([]);

    // replay applies the same entitlement, as of now
    const replayOutside = await connect(0, tablet1.token, toGroup.seq - 1);
    expect(replayOutside.shown.map((s) => s.id)).toEqual([toStore1.id, everyone.id]);
    // a store added to the group now hears its history on replay
    await api.http.request('PUT', `/api/v1/talk-groups/${group.body.id}/stores`, {
      token: coord,
      body: { storeIds: [a.storeIds[0], a.storeIds[1]] },
    });
    const replayJoined = await connect(1, tablet1.token, toGroup.seq - 1);
    expect(replayJoined.shown.map((s) => s.id)).toEqual([toGroup.id, toStore1.id, everyone.id]);
  });

  it('refuses talk groups and stores of another partnership as targets', async () => {
    const bGroup = await api.http.post(
      '/api/v1/talk-groups',
      { name: 'B group' },
      b.tokens[Role.Coordinator],
    );
    const res = await api.http.post(
      '/api/v1/alerts',
      info('x', { kind: 'talk_group', talkGroupId: bGroup.body.id }),
      a.tokens[Role.Coordinator],
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'target.talkGroupId', problems: [expect.any(String)] }]);
    const store = await api.http.post(
      '/api/v1/alerts',
      info('x', { kind: 'store', storeId: b.storeIds[0] }),
      a.tokens[Role.Coordinator],
    );
    expect(store.status).toBe(400);
    expect(store.body.details[0].field).toBe('target.storeId');
    const setForeign = await api.http.request('PUT', `/api/v1/talk-groups/${bGroup.body.id}/stores`, {
      token: a.tokens[Role.Coordinator],
      body: { storeIds: [] },
    });
    expect(setForeign.status).toBe(404);
  });
});
