import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
import { type AlertAckedPayload, RadioRequestError } from '@app/realtime';
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

describe('radio acknowledgements and presence', () => {
  let api: TestApi;
  let radio: RadioPair;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    radio = await startRadioPair(api.db.config);
    worker = await startTestWorker(api.db.config);
    p = await givenPartnership(api);
  });
  afterAll(async () => {
    for (const c of clients) {
      c.client.close();
    }
    await radio.close();
    await worker.close();
    await api.close();
  });

  const connect = async (instance: 0 | 1, token: string) => {
    const c = recordingClient(radio.urls[instance], radio.path, token);
    clients.push(c);
    await c.client.connect();
    return c;
  };

  it('records each acknowledgement once and shows the sender who has and has not acknowledged', async () => {
    const coordinator = await connect(0, p.tokens[Role.Coordinator]);
    const acked: AlertAckedPayload[] = [];
    coordinator.client.on('acked', (a) => acked.push(a));
    const shop = await connect(1, p.tokens[Role.Shopworker]); // store 0

    const raised = await api.http.post(
      '/api/v1/alerts',
      {
        type: 'assistance_requested',
        message: 'Staff member needs help at the tills',
        target: { kind: 'partnership' },
      },
      p.tokens[Role.Coordinator],
    );
    expect(raised.status).toBe(201);
    expect(raised.body.priority).toBe('emergency');
    const alertId = raised.body.id as string;
    await eventually(() => expect(shop.shown.map((s) => s.id)).toEqual([alertId]));

    expect(await shop.client.ack(alertId)).toEqual({ alertId, recorded: true });
    expect(await shop.client.ack(alertId)).toEqual({ alertId, recorded: false });
    await eventually(() =>
      expect(acked).toEqual([
        expect.objectContaining({ alertId, actorId: p.users.shopworker.id, storeId: p.storeIds[0] }),
      ]),
    );

    const status = await api.http.get(`/api/v1/alerts/${alertId}/acks`, p.tokens[Role.Coordinator]);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      alertId,
      recipientStoreIds: expect.arrayContaining(p.storeIds),
      pendingStoreIds: [p.storeIds[1]],
      acknowledged: [{ actorId: p.users.shopworker.id, actorKind: 'user', storeId: p.storeIds[0] }],
    });
    const rows = await api.db.owner.query(`SELECT count(*)::int AS n FROM alert_acks WHERE alert_id = $1`, [
      alertId,
    ]);
    expect(rows[0].n).toBe(1);
    // a shop that did not send it does not see the list
    expect((await api.http.get(`/api/v1/alerts/${alertId}/acks`, p.tokens[Role.Shopworker])).status).toBe(
      403,
    );
  });

  it('refuses acknowledgements of unknown alerts and malformed ids, naming the field', async () => {
    const shop = await connect(0, p.tokens[Role.StoreManager]);
    const unknown = await shop.client.ack('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RadioRequestError);
    expect((unknown as RadioRequestError).error).toMatchObject({ code: 'NOT_FOUND' });
    const bad = await shop.client.ack('not-an-id').catch((e: unknown) => e);
    expect((bad as RadioRequestError).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('alertId'),
    });
  });

  it('shows coordinators which stores are connected now, across both instances', async () => {
    const coordinator = await connect(1, p.tokens[Role.Coordinator]);
    const tablet = await givenTablet(api, p, 1);
    const till = await connect(0, tablet.token); // store 1, on the other instance
    await connect(0, p.tokens[Role.Shopworker]); // store 0
    await eventually(async () => {
      const presence = await coordinator.client.presence();
      const stores = Object.fromEntries(presence.stores.map((s) => [s.storeId, s.connections]));
      expect(stores[p.storeIds[1]]).toBe(1);
      expect(stores[p.storeIds[0]]).toBeGreaterThanOrEqual(1);
    });
    till.client.close();
    await eventually(async () => {
      const presence = await coordinator.client.presence();
      expect(presence.stores.map((s) => s.storeId)).not.toContain(p.storeIds[1]);
    });
    const shop = await connect(1, p.tokens[Role.Shopworker]);
    const refused = await shop.client.presence().catch((e: unknown) => e);
    expect((refused as RadioRequestError).error.code).toBe('FORBIDDEN');
  });
});
