import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { masterRelativePath } from '@app/evidence';
import { createObjectStorage, type ObjectStorage, RetainedObjectError, storageSettings } from '@app/storage';
import {
  buildIncidentRequest,
  buildJpeg,
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  startTestS3,
  type TestApi,
  type TestS3,
} from '@app/testing';
import { JobName } from '@app/queue';
import { EvidenceExportProcessor } from '../../worker/src/evidence-export/evidence-export.processor';
import { WorkerModule } from '../../worker/src/worker.module';

jest.setTimeout(120_000);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DAY = 86_400_000;

/**
 * The api and the worker with STORAGE_DRIVER=s3 against a real S3-protocol server (s3rver): an
 * upload lands in the bucket as a retained master and a viewing copy, and a pack is built from the
 * bucket's masters, stored in the bucket and downloaded from it, verifiable as ever. Nothing but
 * scratch is written to STORAGE_DIR.
 */
describe('object storage on S3', () => {
  let s3: TestS3;
  let api: TestApi;
  let worker: INestApplicationContext;
  let bucket: ObjectStorage;
  let p: GivenPartnership;
  let work: string;

  beforeAll(async () => {
    s3 = await startTestS3();
    api = await startTestApi({ ...s3.env, STORAGE_LOCK_MODE: 'governance', STORAGE_LOCK_DAYS: '30' });
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
    await worker.init();
    // a client of our own to look into the bucket
    bucket = await createObjectStorage(storageSettings(api.db.config));
    p = await givenPartnership(api);
    work = mkdtempSync(join(tmpdir(), 's3-storage-e2e-'));
  });
  afterAll(async () => {
    bucket?.close();
    await worker?.close();
    await api?.close();
    await s3?.stop();
    rmSync(work, { recursive: true, force: true });
    if (api) {
      rmSync(resolve(api.db.config.storage.dir), { recursive: true, force: true });
    }
  });

  it('keeps evidence in the bucket, builds the pack from it there, and serves the pack from it', async () => {
    const tablet = await givenTablet(api, p);
    const incident = await postIncident(
      api,
      tablet.token,
      buildIncidentRequest({ types: ['theft_shop', 'violence_injury'], injury: 'minor' }),
    );
    expect(incident.status).toBe(201);
    const incidentId = incident.body.id as string;

    const jpeg = buildJpeg({ size: 60_000, seed: 11 });
    const upload = () =>
      api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(jpeg)}`, {
        token: tablet.token,
        raw: jpeg,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': encodeURIComponent('Jo Smith'),
        },
      });
    const up = await upload();
    expect(up.status).toBe(201);

    // the master is in the bucket, byte for byte, write-once for STORAGE_LOCK_DAYS
    const masterKey = masterRelativePath(p.partnershipId, sha256(jpeg));
    expect((await bucket.getBuffer(masterKey))?.equals(jpeg)).toBe(true);
    const head = await bucket.head(masterKey);
    const lockedFor = head!.retainUntil!.getTime() - Date.now();
    expect(lockedFor).toBeGreaterThan(29 * DAY);
    expect(lockedFor).toBeLessThanOrEqual(30 * DAY);
    await expect(bucket.delete(masterKey)).rejects.toBeInstanceOf(RetainedObjectError);
    // its viewing copy and thumbnail beside it, not locked (they can be made again from the master)
    const copies = await bucket.list(`derivatives/${p.partnershipId}/`);
    expect(copies).toHaveLength(2);
    for (const key of copies) {
      expect((await bucket.head(key))?.retainUntil).toBeNull();
    }

    // a retried upload is the same exhibit, and the master is left as it was
    const again = await upload();
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(up.body.id);
    expect(await bucket.list(`masters/${p.partnershipId}/`)).toEqual([masterKey]);

    // the viewing copy is read from the bucket
    const view = await fetch(
      `${api.http.baseUrl}/api/v1/incidents/${incidentId}/evidence/${up.body.id}/view`,
      {
        headers: { authorization: `Bearer ${p.tokens.coordinator}` },
      },
    );
    expect(view.status).toBe(200);
    const copy = Buffer.from(await view.arrayBuffer());
    expect(view.headers.get('x-evidence-sha256')).toBe(sha256(copy));
    expect(copies).toContain(`derivatives/${p.partnershipId}/${sha256(copy).slice(0, 2)}/${sha256(copy)}`);

    // a case and its pack, built by the worker from the bucket's master
    const opened = await api.http.post(
      '/api/v1/cases',
      { incidentId, reason: 'assault on staff' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    const queued = await api.http.post(`/api/v1/cases/${opened.body.id}/packs`, {}, p.tokens.police);
    expect(queued.status).toBe(202);
    const pack = await eventually(async () => {
      const r = await api.http.get(`/api/v1/packs/${queued.body.id}`, p.tokens.police);
      expect({ status: r.body.status, error: r.body.error }).toEqual({ status: 'ready', error: null });
      return r.body as { id: string; sha256: string; keyFingerprint: string };
    }, 60_000);
    const packKey = `packs/${p.partnershipId}/${pack.id}.zip`;
    expect(await bucket.list(`packs/${p.partnershipId}/`)).toEqual([packKey]);
    expect((await bucket.head(packKey))?.retainUntil).toBeNull(); // packs expire, so never locked

    const res = await fetch(`${api.http.baseUrl}/api/v1/packs/${pack.id}/download`, {
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

    const zipPath = join(work, 'pack.zip');
    writeFileSync(zipPath, zip);
    const dir = join(work, 'pack');
    execFileSync('unzip', ['-q', zipPath, '-d', dir]);
    expect(readFileSync(join(dir, 'exhibits', 'JS-1.jpg')).equals(jpeg)).toBe(true);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString()).not.toMatch(/FAILED/);
    const verify = spawnSync(process.execPath, ['verify.mjs', '.', '--fingerprint', pack.keyFingerprint], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(verify.stdout).toContain('OK');
    expect(verify.status).toBe(0);

    // expiry deletes the pack from the bucket (and leaves the locked master)
    await api.db.owner.query(
      `UPDATE evidence_packs SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [pack.id],
    );
    // (the worker's own hourly run may get there first: the end state is what counts)
    await worker.get(EvidenceExportProcessor).handlers[JobName.ExpireEvidencePacks]();
    const [row] = await api.db.owner.query(`SELECT status FROM evidence_packs WHERE id = $1`, [pack.id]);
    expect(row.status).toBe('expired');
    expect(await bucket.head(packKey)).toBeNull();
    expect(await bucket.head(masterKey)).not.toBeNull();

    // STORAGE_DIR held scratch only, and none is left
    const local = resolve(api.db.config.storage.dir);
    const files = existsSync(local)
      ? readdirSync(local, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
      : [];
    expect(files.map((d) => d.name)).toEqual([]);
  });
});
