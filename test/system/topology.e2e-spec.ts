import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { masterRelativePath, loadOrCreateSigningKey } from '@app/evidence';
import { createObjectStorage, type ObjectStorage, storageSettings } from '@app/storage';
import {
  buildIncidentRequest,
  buildJpeg,
  createTestDatabase,
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  HttpClient,
  postIncident,
  recordingClient,
  type RecordingClient,
  startTestS3,
  type TestApi,
  type TestDatabase,
  type TestS3,
} from '@app/testing';
import { type CaddyProxy, startCaddy } from '../lib/caddy';
import { AppChild, childEnv } from '../lib/compiled-apps';
import { parseMetrics, type Sample, valueOf } from '../lib/prometheus';

/**
 * The compose topology (docker/docker-compose.yml) on loopback: two api, two worker and two radio
 * processes from the compiled build, with RADIO_SAME_ORIGIN and the S3 driver on a real s3rver
 * bucket, behind real Caddy running docker/Caddyfile itself (upstreams and addresses through its
 * placeholders). Everything a user does goes through the proxy's one origin: sign-in, a report with
 * a photo, an alert heard on the radio through /radio, an evidence pack built, downloaded and
 * verified. /metrics is scraped from each process directly, as from inside the compose network,
 * and answers 404 through the proxy.
 */
const LOG_DIR = join(tmpdir(), 'hub-topology-logs');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The sum of every sample with this name and at least these labels. */
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

describe('the compose topology behind Caddy', () => {
  let s3: TestS3;
  let db: TestDatabase;
  let bucket: ObjectStorage;
  let caddy: CaddyProxy;
  let apis: AppChild[];
  let workers: AppChild[];
  let radios: AppChild[];
  /** the proxy's origin, shaped like a TestApi for the factories */
  let front: TestApi;
  let p: GivenPartnership;
  let work: string;
  let keyFingerprint: string;
  const children: AppChild[] = [];
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hub-topology-'));
    s3 = await startTestS3('hub-topology');
    const env = { ...s3.env, RADIO_SAME_ORIGIN: 'true' };
    db = await createTestDatabase(env);
    bucket = await createObjectStorage(storageSettings(db.config));
    // the pack signing key every worker reads, as compose's Docker secret
    const keyPath = join(work, 'secrets', 'evidence-signing.pem');
    keyFingerprint = loadOrCreateSigningKey(keyPath).fingerprint;

    const appEnv = childEnv(db.config, {
      ...env,
      STORAGE_DIR: join(work, 'storage'),
      EVIDENCE_SIGNING_KEY_PATH: keyPath,
      TRUST_PROXY: 'loopback',
      HUB_BUILD: 'topology-test',
      SHUTDOWN_DRAIN_MS: '0',
    });
    const start = (app: 'api' | 'worker' | 'radio', name: string) =>
      AppChild.start(app, name, appEnv, LOG_DIR).then((c) => {
        children.push(c);
        return c;
      });
    [apis, workers, radios] = await Promise.all(
      (['api', 'worker', 'radio'] as const).map((app) =>
        Promise.all([start(app, `${app}-1`), start(app, `${app}-2`)]),
      ),
    );
    caddy = await startCaddy({
      apiUpstreams: apis.map((a) => `127.0.0.1:${a.port}`),
      radioUpstreams: radios.map((r) => `127.0.0.1:${r.port}`),
      logDir: LOG_DIR,
    });
    front = { db, http: new HttpClient(caddy.origin), app: undefined as never, close: async () => undefined };
    // the proxy passes to apis whose /ready answers
    await eventually(async () => expect((await front.http.get('/ready')).status).toBe(200), 30_000, 50);
    // every role signs in through the proxy
    p = await givenPartnership(front);
  });

  afterAll(async () => {
    const steps: [string, () => unknown][] = [
      ['clients', () => clients.forEach((c) => c.client.close())],
      ['caddy', () => caddy?.stop()],
      ['apps', () => Promise.all(children.map((c) => c.stop()))],
      ['bucket client', () => bucket?.close()],
      ['database', () => db?.drop()],
      ['s3rver', () => s3?.stop()],
      ['work folder', () => work && rmSync(work, { recursive: true, force: true })],
    ];
    const failed: unknown[] = [];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (err) {
        failed.push(new Error(`stopping ${what}: ${String(err)}`));
      }
    }
    if (failed.length) {
      throw failed[0];
    }
  });

  it('files a report, raises an alert heard through /radio, builds a verifiable pack, all through the one origin', async () => {
    const http = front.http;
    // the proxy keeps /metrics inside the network
    expect((await http.get('/metrics')).status).toBe(404);
    expect((await http.get('/api/v1/client-config')).status).toBe(200);

    // the till (a tablet) files a report with a photo; a retry of the same key (to the other api,
    // round robin) is the same report
    const tablet = await givenTablet(front, p);
    const body = buildIncidentRequest({ types: ['theft_shop', 'violence_injury'], injury: 'minor' });
    const key = '3f0a6f0e-7e8e-4c53-9f57-7b1c0c6c1d01';
    const filed = await postIncident(front, tablet.token, body, key);
    expect(filed.status).toBe(201);
    const incidentId = filed.body.id as string;
    const retried = await postIncident(front, tablet.token, body, key);
    expect(retried.body.id).toBe(incidentId);
    const jpeg = buildJpeg({ size: 40_000, seed: 20 });
    const upload = await http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(jpeg)}`, {
      token: tablet.token,
      raw: jpeg,
      headers: {
        'content-type': 'application/octet-stream',
        'x-evidence-producer': encodeURIComponent('Jo Smith'),
      },
    });
    expect(upload.status).toBe(201);
    const masterKey = masterRelativePath(p.partnershipId, sha256(jpeg));
    expect((await bucket.getBuffer(masterKey))?.equals(jpeg)).toBe(true);

    // the radio, as the web client finds it with RADIO_SAME_ORIGIN: the page's origin and path
    const config = await http.get('/api/v1/client-config');
    expect(config.body.radio).toEqual({ port: null, path: '/radio' });
    const url = config.body.radio.port === null ? caddy.origin : `http://127.0.0.1:${config.body.radio.port}`;
    for (const token of [tablet.token, p.tokens.shopworker]) {
      const c = recordingClient(url, config.body.radio.path, token);
      clients.push(c);
      await c.client.connect();
    }
    // least_conn: one socket on each radio
    await eventually(async () => {
      for (const r of radios) {
        expect(valueOf(await scrape(r.url), 'radio_connected_sockets')).toBe(1);
      }
    });
    const raised = await http.post(
      '/api/v1/alerts',
      { type: 'offender_sighted', message: 'Heading towards the market', target: { kind: 'partnership' } },
      p.tokens.coordinator,
    );
    expect(raised.status).toBe(201);
    // relayed by a worker over Redis, delivered by each radio to its own socket
    for (const c of clients) {
      await eventually(() => expect(c.shown.map((s) => s.id)).toEqual([raised.body.id]));
    }
    for (const r of radios) {
      expect(valueOf(await scrape(r.url), 'radio_alerts_emitted_total', { source: 'live' })).toBe(1);
    }

    // the police open a case and build its pack; a worker builds it from the bucket into the bucket
    const opened = await http.post(
      '/api/v1/cases',
      { incidentId, reason: 'assault on staff' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    const queued = await http.post(`/api/v1/cases/${opened.body.id}/packs`, {}, p.tokens.police);
    expect(queued.status).toBe(202);
    const pack = await eventually(
      async () => {
        const r = await http.get(`/api/v1/packs/${queued.body.id}`, p.tokens.police);
        expect({ status: r.body.status, error: r.body.error }).toEqual({ status: 'ready', error: null });
        return r.body as { id: string; sha256: string; keyFingerprint: string };
      },
      60_000,
      250,
    );
    const packKey = `packs/${p.partnershipId}/${pack.id}.zip`;
    expect(await bucket.list(`packs/${p.partnershipId}/`)).toEqual([packKey]);
    const res = await fetch(`${caddy.origin}/api/v1/packs/${pack.id}/download`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.tokens.police}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        recipient: 'CPS Direct, reviewing lawyer A. Khan',
        purpose: 'charging decision',
      }),
    });
    expect(res.status).toBe(200);
    const zip = Buffer.from(await res.arrayBuffer());
    expect(sha256(zip)).toBe(pack.sha256);
    expect((await bucket.getBuffer(packKey))?.equals(zip)).toBe(true);

    // verified as a reviewing lawyer would: the fingerprint published on the origin, pinned
    const published = await http.get('/.well-known/evidence-signing-keys');
    expect(published.status).toBe(200);
    const fingerprint = published.body.keys.at(-1).fingerprint as string;
    expect(fingerprint).toBe(keyFingerprint); // the workers signed with the secret they were given
    expect(pack.keyFingerprint).toBe(fingerprint);
    writeFileSync(join(work, 'pack.zip'), zip);
    const dir = join(work, 'pack');
    execFileSync('unzip', ['-q', join(work, 'pack.zip'), '-d', dir]);
    expect(readFileSync(join(dir, 'exhibits', 'JS-1.jpg')).equals(jpeg)).toBe(true);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString()).not.toMatch(/FAILED/);
    const verify = spawnSync(process.execPath, ['verify.mjs', '.', '--fingerprint', fingerprint], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(verify.stdout).toContain('OK');
    expect(verify.status).toBe(0);

    // the objects are in the bucket only: the apps' STORAGE_DIR held scratch, and none is left
    const local = join(work, 'storage');
    const files = existsSync(local)
      ? readdirSync(local, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
      : [];
    expect(files.map((d) => d.name)).toEqual([]);
  });

  it('is scraped per process from inside: both apis served, the workers built the pack, the radios hold the sockets', async () => {
    expect((await front.http.get('/metrics')).status).toBe(404);
    expect((await front.http.get('/metrics/anything')).status).toBe(404);

    // both apis served sign-ins through the proxy (round robin); two POSTs of the one report in all
    const apiSamples = await Promise.all(apis.map((a) => scrape(a.url)));
    for (const s of apiSamples) {
      expect(
        total(s, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/auth/login' }),
      ).toBeGreaterThan(0);
    }
    const posts = (route: string) =>
      apiSamples.reduce(
        (n, s) => n + total(s, 'http_request_duration_seconds_count', { method: 'POST', route }),
        0,
      );
    expect(posts('/api/v1/incidents')).toBe(2);
    // the report and its retry went one to each api, and were still the one report
    for (const s of apiSamples) {
      expect(
        total(s, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/incidents' }),
      ).toBe(1);
    }
    expect(posts('/api/v1/alerts')).toBe(1);

    // the workers: one pack built between them, the report's rollup done, queues and lag readable
    const workerSamples = await eventually(async () => {
      const all = await Promise.all(workers.map((w) => scrape(w.url)));
      const sum = (name: string, labels: Record<string, string>) =>
        all.reduce((n, s) => n + total(s, name, labels), 0);
      expect(sum('worker_jobs_completed_total', { queue: 'aggregation' })).toBeGreaterThan(0);
      expect(sum('worker_jobs_completed_total', { queue: 'evidence-export' })).toBeGreaterThan(0);
      return all;
    });
    const sum = (name: string, labels: Record<string, string>) =>
      workerSamples.reduce((n, s) => n + total(s, name, labels), 0);
    expect(sum('worker_pack_build_duration_seconds_count', { outcome: 'built' })).toBe(1);
    expect(sum('worker_pack_build_duration_seconds_count', { outcome: 'failed' })).toBe(0);
    expect(sum('worker_jobs_failed_total', {})).toBe(0);
    for (const s of workerSamples) {
      expect(valueOf(s, 'worker_queue_jobs', { queue: 'evidence-export', state: 'waiting' })).toEqual(
        expect.any(Number),
      );
      expect(valueOf(s, 'outbox_lag_seconds')).toBeGreaterThanOrEqual(0);
    }

    // the radios: each still holds its socket
    for (const r of radios) {
      const s = await scrape(r.url);
      expect(valueOf(s, 'radio_connected_sockets')).toBe(1);
      expect(valueOf(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    }
  });
});
