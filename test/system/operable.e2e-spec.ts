import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Role } from '@app/auth';
import { Readiness } from '@app/metrics';
import {
  eventually,
  givenPartnership,
  type GivenPartnership,
  HttpClient,
  postIncident,
  type RadioPair,
  recordingClient,
  type RecordingClient,
  startRadioPair,
  startTestApi,
  startTestWorker,
  type TestApi,
} from '@app/testing';
import { WorkerHttpServer } from '../../apps/worker/src/ops/worker-http.server';
import { parseMetrics as parse, type Sample, valueOf } from '../lib/prometheus';

// An api, two radios and a worker on a shared machine take a while to start.
jest.setTimeout(90_000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const EMAIL = /[^\s@]+@[^\s@]+/;

async function scrape(http: HttpClient): Promise<Sample[]> {
  const res = await http.get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parse(res.text);
}

/** No label value of any sample holds an id, an email or a name of the partnership's. */
function expectNoPersonalData(samples: Sample[], p: GivenPartnership): void {
  const names = [...Object.values(p.users).map((u) => u.email)];
  const values = samples.flatMap((s) => Object.values(s.labels));
  expect(values.filter((v) => UUID.test(v) || EMAIL.test(v) || names.some((n) => v.includes(n)))).toEqual([]);
}

describe('operable: metrics and probes on api, worker and radio', () => {
  let api: TestApi;
  let radio: RadioPair;
  let worker: INestApplicationContext;
  let workerHttp: HttpClient;
  let radioHttp: [HttpClient, HttpClient];
  let p: GivenPartnership;
  const clients: RecordingClient[] = [];
  const closed = new Set<string>();

  beforeAll(async () => {
    // a long drain, ended by the shutdown test itself once it has seen what the probes answer
    api = await startTestApi({ SHUTDOWN_DRAIN_MS: '60000' });
    radio = await startRadioPair(api.db.config);
    worker = await startTestWorker(api.db.config);
    workerHttp = new HttpClient(`http://127.0.0.1:${worker.get(WorkerHttpServer).port}`);
    radioHttp = [new HttpClient(radio.urls[0]), new HttpClient(radio.urls[1])];
    p = await givenPartnership(api);
  });
  afterAll(async () => {
    for (const c of clients) {
      c.client.close();
    }
    for (const app of [...radio.apps, worker]) {
      app.get(Readiness).finishDrain();
    }
    api.app.get(Readiness).finishDrain();
    if (!closed.has('radio')) {
      await radio.close();
    }
    if (!closed.has('worker')) {
      await worker.close();
    }
    if (!closed.has('api')) {
      await api.close();
    }
  });

  it('api: counts requests by route pattern and status, never the URL with its ids', async () => {
    const count = (s: Sample[], route: string, status: string, method = 'POST') =>
      valueOf(s, 'http_request_duration_seconds_count', { method, route, status_code: status }) ?? 0;
    const before = await scrape(api.http);
    const filed = await postIncident(api, p.tokens[Role.Shopworker]);
    expect(filed.status).toBe(201);
    const read = await api.http.get(`/api/v1/incidents/${filed.body.id}`, p.tokens[Role.Coordinator]);
    expect(read.status).toBe(200);
    expect((await api.http.get('/api/v1/no-such-route')).status).toBe(404);

    const after = await scrape(api.http);
    expect(count(after, '/api/v1/incidents', '201') - count(before, '/api/v1/incidents', '201')).toBe(1);
    expect(count(after, '/api/v1/incidents/:id', '200', 'GET')).toBe(1);
    expect(count(after, 'unmatched', '404', 'GET')).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(after, 'http_request_duration_seconds_bucket', {
        method: 'POST',
        route: '/api/v1/incidents',
        status_code: '201',
        le: '+Inf',
      }),
    ).toBe(count(after, '/api/v1/incidents', '201'));
    expect(valueOf(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.some((s) => s.labels.route?.includes(filed.body.id))).toBe(false);
    expectNoPersonalData(after, p);
  });

  it('worker: counts the report’s job, reads queue depth and outbox lag when scraped', async () => {
    // the report filed above: its RollupDay job goes through the outbox to the aggregation queue
    const filed = await postIncident(api, p.tokens[Role.Shopworker]);
    expect(filed.status).toBe(201);
    const samples = await eventually(async () => {
      const s = await scrape(workerHttp);
      expect(valueOf(s, 'worker_jobs_completed_total', { queue: 'aggregation' })).toBeGreaterThanOrEqual(2);
      return s;
    });
    expect(valueOf(samples, 'worker_jobs_failed_total', { queue: 'aggregation' })).toBe(0);
    for (const state of ['waiting', 'active', 'delayed']) {
      expect(valueOf(samples, 'worker_queue_jobs', { queue: 'aggregation', state })).toEqual(
        expect.any(Number),
      );
    }
    const lag = valueOf(samples, 'outbox_lag_seconds');
    expect(Number.isFinite(lag)).toBe(true);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect((await workerHttp.get('/metrics')).text).toContain(
      '# TYPE worker_pack_build_duration_seconds histogram',
    );
    expectNoPersonalData(samples, p);
  });

  it('radio: the socket gauge follows a connection; alerts sent to it are counted', async () => {
    const sockets = async (i: 0 | 1) => valueOf(await scrape(radioHttp[i]), 'radio_connected_sockets');
    const live = async (i: 0 | 1) =>
      valueOf(await scrape(radioHttp[i]), 'radio_alerts_emitted_total', { source: 'live' });
    expect(await sockets(0)).toBe(0);
    const c = recordingClient(radio.urls[0], radio.path, p.tokens[Role.Shopworker]);
    clients.push(c);
    await c.client.connect();
    await eventually(async () => expect(await sockets(0)).toBe(1));
    expect(await sockets(1)).toBe(0);
    const before = await live(0);

    const raised = await api.http.post(
      '/api/v1/alerts',
      { type: 'offender_sighted', message: 'Heading towards the market', target: { kind: 'partnership' } },
      p.tokens[Role.Coordinator],
    );
    expect(raised.status).toBe(201);
    await eventually(() => expect(c.shown.map((s) => s.id)).toContain(raised.body.id));
    expect((await live(0))! - before!).toBe(1);
    expect(await live(1)).toBe(0);
    expectNoPersonalData(await scrape(radioHttp[0]), p);

    c.client.close();
    await eventually(async () => expect(await sockets(0)).toBe(0));
  });

  it('answers /health and /ready 200 on every app while up; unknown worker paths 404', async () => {
    for (const http of [api.http, workerHttp, ...radioHttp]) {
      expect((await http.get('/health')).body).toEqual({ status: 'ok' });
      const ready = await http.get('/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
    }
    expect((await workerHttp.get('/nope')).status).toBe(404);
  });

  it('worker: a row stuck in the outbox shows as lag (the relay cannot publish a job nobody declared)', async () => {
    await api.db.owner.query(
      `INSERT INTO outbox (partnership_id, kind, name, payload, created_at)
       VALUES ($1, 'job', 'NoSuchJob', '{}', now() - interval '1 hour')`,
      [p.partnershipId],
    );
    await eventually(async () => {
      const [row] = await api.db.owner.query(`SELECT attempts FROM outbox WHERE name = 'NoSuchJob'`);
      expect(row.attempts).toBeGreaterThan(0);
    });
    const lag = valueOf(await scrape(workerHttp), 'outbox_lag_seconds')!;
    expect(lag).toBeGreaterThanOrEqual(3600);
    expect(lag).toBeLessThan(3600 + 600);
  });

  it('turns /ready 503 as soon as shutdown begins, while /health stays 200, on every app', async () => {
    const drain = async (
      name: string,
      app: INestApplication | INestApplicationContext,
      http: HttpClient,
      close: () => Promise<void>,
    ) => {
      expect((await http.get('/ready')).status).toBe(200);
      const closing = close();
      const res = await eventually(async () => {
        const r = await http.get('/ready');
        expect(r.status).toBe(503);
        return r;
      });
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'Not ready: shutting down' });
      expect((await http.get('/health')).status).toBe(200);
      // still serving while draining: metrics answer too
      expect((await http.get('/metrics')).status).toBe(200);
      app.get(Readiness).finishDrain();
      await closing;
      closed.add(name);
    };
    // the radios and the worker first: they use the api's database, which api.close() drops
    await drain('radio-a', radio.apps[0], radioHttp[0], () => radio.apps[0].close());
    radio.apps[1].get(Readiness).finishDrain();
    await radio.apps[1].close();
    closed.add('radio');
    await drain('worker', worker, workerHttp, () => worker.close());
    await drain('api', api.app, api.http, () => api.close());
  });
});
