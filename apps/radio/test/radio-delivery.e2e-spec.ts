import { Role } from '@app/auth';
import type { INestApplicationContext } from '@nestjs/common';
import type { CaseUpdatedPayload, EvidenceRequestedPayload } from '@app/realtime';
import {
  buildIncidentRequest,
  eventually,
  givenPartnership,
  type GivenPartnership,
  postIncident,
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

  it('tells the reporting store, live and in plain words, when its case moves and when evidence is asked for', async () => {
    const store = await connect(0, p.tokens[Role.Shopworker]);
    const police = await connect(1, p.tokens[Role.Police]);
    const heard = (c: RecordingClient) => {
      const updates: CaseUpdatedPayload[] = [];
      const requests: EvidenceRequestedPayload[] = [];
      c.client.on('caseUpdated', (u) => updates.push(u));
      c.client.on('evidenceRequested', (r) => requests.push(r));
      return { updates, requests };
    };
    const atStore = heard(store);
    const atPolice = heard(police);
    const report = await postIncident(api, p.tokens[Role.Shopworker], buildIncidentRequest());
    expect(report.status).toBe(201);
    const opened = await api.http.post(
      '/api/v1/cases',
      { incidentId: report.body.id, reason: 'violent theft' },
      p.tokens[Role.Police],
    );
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    const moved = await api.http.post(
      `/api/v1/cases/${caseId}/transitions`,
      { status: 'in_triage', reason: 'reviewing CCTV' },
      p.tokens[Role.Police],
    );
    expect(moved.status).toBe(200);
    const asked = await api.http.post(
      `/api/v1/cases/${caseId}/evidence-requests`,
      { incidentId: report.body.id, kind: 'cctv', message: 'Please export the CCTV from 14:00 to 14:30.' },
      p.tokens[Role.Police],
    );
    expect(asked.status).toBe(201);

    await eventually(() => {
      expect(atStore.updates.map((u) => [u.caseId, u.status])).toEqual([
        [caseId, 'in_triage'],
        [caseId, 'evidence_requested'],
      ]);
      expect(atStore.updates[0].plainWords).toBe('A police officer is looking at the case.');
      expect(atStore.requests).toEqual([
        { requestId: asked.body.id, kind: 'cctv', incidentId: report.body.id, dueOn: null },
      ]);
    });
    // the police are not a store room: an alert relayed after the case events reaches them, the
    // case events never do (the relay publishes in order, so the alert is the barrier)
    const barrier = await raise(p.tokens[Role.Coordinator], {
      type: 'information',
      message: 'Barrier',
      target: { kind: 'partnership' },
    });
    await eventually(() => expect(police.shown.map((a) => a.id)).toContain(barrier.id));
    expect(atPolice.updates).toEqual([]);
    expect(atPolice.requests).toEqual([]);
  });
});
