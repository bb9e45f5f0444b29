import { Role } from '@app/auth';
import type { INestApplicationContext } from '@nestjs/common';
import {
  eventually,
  givenPartnership,
  type GivenPartnership,
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

describe('radio delivery across two instances', () => {
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

  const connect = async (instance: 0 | 1, token: string, lastSeq?: number | null) => {
    const c = recordingClient(radio.urls[instance], radio.path, token, { lastSeq });
    clients.push(c);
    await c.client.connect();
    return c;
  };
  const raise = async (token: string, body: object) => {
    const res = await api.http.post('/api/v1/alerts', body, token);
    expect(res.status).toBe(201);
    return res.body as { id: string; seq: number };
  };

  it('delivers an alert raised over REST to clients on both instances, once each', async () => {
    const onA = await connect(0, p.tokens[Role.Shopworker]);
    const onB = await connect(1, p.tokens[Role.Police]);
    const alert = await raise(p.tokens[Role.Coordinator], {
      type: 'offender_sighted',
      message: 'Known shoplifter heading towards the market',
      target: { kind: 'partnership' },
    });
    await eventually(() => {
      expect(onA.shown.map((s) => s.id)).toEqual([alert.id]);
      expect(onB.shown.map((s) => s.id)).toEqual([alert.id]);
    });
  });
});
