import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
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

jest.setTimeout(60_000);

/** Case events the outbox relays to the store whose report is on the case, and only there. */
describe('case events on the radio', () => {
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

  const listen = async (instance: 0 | 1, token: string) => {
    const c = recordingClient(radio.urls[instance], radio.path, token);
    clients.push(c);
    const updates: CaseUpdatedPayload[] = [];
    const requests: EvidenceRequestedPayload[] = [];
    c.client.on('caseUpdated', (u) => updates.push(u));
    c.client.on('evidenceRequested', (r) => requests.push(r));
    await c.client.connect();
    return { updates, requests, shown: c.shown };
  };

  it('tells the reporting store, live and in plain words, when its case moves and when evidence is asked for', async () => {
    const store = await listen(0, p.tokens[Role.Shopworker]);
    const police = await listen(1, p.tokens[Role.Police]);
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
      expect(store.updates.map((u) => [u.caseId, u.status])).toEqual([
        [caseId, 'in_triage'],
        [caseId, 'evidence_requested'],
      ]);
      expect(store.updates[0].plainWords).toBe('A police officer is looking at the case.');
      expect(store.requests).toEqual([
        { requestId: asked.body.id, kind: 'cctv', incidentId: report.body.id, dueOn: null },
      ]);
    });
    // the police are not a store room: an alert relayed after the case events reaches them, the
    // case events never do (the relay publishes in order, so the alert is the barrier)
    const alert = await api.http.post(
      '/api/v1/alerts',
      { type: 'information', message: 'Barrier', target: { kind: 'partnership' } },
      p.tokens[Role.Coordinator],
    );
    expect(alert.status).toBe(201);
    await eventually(() => expect(police.shown.map((a) => a.id)).toContain(alert.body.id));
    expect(police.updates).toEqual([]);
    expect(police.requests).toEqual([]);
  });
});
