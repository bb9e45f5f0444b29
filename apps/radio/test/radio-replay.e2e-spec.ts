import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
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

describe('radio replay after a disconnect', () => {
  let api: TestApi;
  let radio: RadioPair;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    // small batches, so a catch-up needs several and the "more" flag is exercised
    api = await startTestApi({ ALERT_RATE_LIMIT_PER_MINUTE: '1000', RADIO_REPLAY_BATCH: '3' });
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

  const track = (c: RecordingClient) => {
    clients.push(c);
    return c;
  };
  const raise = async (message: string) => {
    const res = await api.http.post(
      '/api/v1/alerts',
      { type: 'information', message, target: { kind: 'partnership' } },
      p.tokens[Role.Coordinator],
    );
    expect(res.status).toBe(201);
    return res.body as { id: string; seq: number };
  };
  const dbAlerts = async () =>
    (
      await api.db.owner.query<{ id: string; seq: string }[]>(
        `SELECT id, seq FROM alerts WHERE partnership_id = $1 ORDER BY seq`,
        [p.partnershipId],
      )
    ).map((r) => ({ id: r.id, seq: Number(r.seq) }));
  const expectNoGapsNoDuplicates = (
    shown: RecordingClient['shown'],
    expected: { id: string; seq: number }[],
  ) => {
    expect(shown.map((s) => s.id)).toEqual(expected.map((e) => e.id));
    expect(new Set(shown.map((s) => s.id)).size).toBe(shown.length);
  };

  it('numbers alerts without gaps in commit order, and shows live alerts in that order', async () => {
    const live = track(recordingClient(radio.urls[0], radio.path, p.tokens[Role.Shopworker], { lastSeq: 0 }));
    await live.client.connect();
    // concurrent raisers: the counter row serialises them
    await Promise.all(Array.from({ length: 12 }, (_, i) => raise(`concurrent ${i}`)));
    const stored = await dbAlerts();
    expect(stored.map((a) => a.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await eventually(() => expect(live.shown).toHaveLength(12));
    expectNoGapsNoDuplicates(live.shown, stored);
    expect(live.client.lastSeq).toBe(12);
  });

  it('replays exactly the missed alerts, in order and in batches, then goes live', async () => {
    const tablet = track(
      recordingClient(radio.urls[1], radio.path, p.tokens[Role.StoreManager], { lastSeq: 0 }),
    );
    await tablet.client.connect();
    await eventually(() => expect(tablet.shown).toHaveLength(12));
    expect(tablet.shown.every((s) => s.replayed)).toBe(true); // 12 alerts in batches of 3

    tablet.client.disconnect();
    for (let i = 0; i < 7; i += 1) {
      await raise(`while offline ${i}`);
    }
    // back, on the other instance's URL would need a new client; same client resumes from lastSeq
    await tablet.client.connect();
    const afterReplay = await dbAlerts();
    expect(afterReplay).toHaveLength(19);
    expectNoGapsNoDuplicates(tablet.shown, afterReplay);
    expect(tablet.shown.slice(12).every((s) => s.replayed)).toBe(true);

    const liveOne = await raise('live again');
    await eventually(() => expect(tablet.shown.at(-1)).toMatchObject({ id: liveOne.id, replayed: false }));
    expectNoGapsNoDuplicates(tablet.shown, await dbAlerts());
  });

  it('resumes on the other instance from a remembered lastSeq, dropping duplicates by id', async () => {
    const first = track(recordingClient(radio.urls[0], radio.path, p.tokens[Role.Police], { lastSeq: 15 }));
    await first.client.connect();
    const stored = await dbAlerts();
    expectNoGapsNoDuplicates(
      first.shown,
      stored.filter((a) => a.seq > 15),
    );
    const remembered = first.client.lastSeq;
    first.client.close();

    const moved = track(
      recordingClient(radio.urls[1], radio.path, p.tokens[Role.Police], { lastSeq: remembered }),
    );
    await moved.client.connect();
    expect(moved.shown).toEqual([]);
    const another = await raise('after the move');
    await eventually(() => expect(moved.shown.map((s) => s.id)).toEqual([another.id]));
    // The same alert again, live and in an overlapping replay (as in a reconnect race), is shown once.
    const payload = (await api.http.get(`/api/v1/alerts/${another.id}`, p.tokens[Role.Police])).body;
    const [onAlert] = moved.client.socket.listeners('alert') as ((a: unknown) => void)[];
    onAlert(payload);
    const resync = moved.client.socket.listeners('resync')[0] as () => void;
    resync();
    await eventually(() => expect(moved.client.lastSeq).toBe(another.seq));
    expect(moved.shown.map((s) => s.id)).toEqual([another.id]);
  });

  it('gives a fresh client only the alerts still in force', async () => {
    await api.db.owner.query(
      `UPDATE alerts SET expires_at = now() - interval '1 minute' WHERE partnership_id = $1 AND seq <= 19`,
      [p.partnershipId],
    );
    const fresh = track(recordingClient(radio.urls[0], radio.path, p.tokens[Role.Admin]));
    await fresh.client.connect();
    const inForce = (await dbAlerts()).filter((a) => a.seq > 19);
    expectNoGapsNoDuplicates(fresh.shown, inForce);
  });
});
