import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  buildIsoMedia,
  buildJpeg,
  buildPdf,
  buildPng,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  hostileCorpus,
  postIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';

const LIMIT = 64 * 1024;

/**
 * Every file under a folder, relative to it. Listed again (at most five times) when a folder
 * vanishes between being listed and being read: seen once in CI on Node 22 (ENOENT on a
 * `derivatives/<partnership>/<aa>` folder, cause not found); the files themselves are still
 * compared with the rows below.
 */
function filesUnder(dir: string): string[] {
  for (let attempt = 1; ; attempt++) {
    if (!existsSync(dir)) {
      return [];
    }
    try {
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 5) {
        throw err;
      }
    }
  }
}

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

describe('evidence uploads', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;
  let tablet: { deviceId: string; token: string };
  let incidentId: string;
  let storage: string;

  beforeAll(async () => {
    api = await startTestApi({ EVIDENCE_MAX_BYTES: String(LIMIT) });
    storage = resolve(api.db.config.storage.dir);
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    tablet = await givenTablet(api, p);
    incidentId = (await postIncident(api, tablet.token)).body.id;
  });
  afterAll(async () => {
    await api.close();
    rmSync(storage, { recursive: true, force: true });
  });

  const put = (
    body: Buffer | string,
    opts: { hash?: string; token?: string; incident?: string; headers?: Record<string, string> } = {},
  ) =>
    api.http.request(
      'PUT',
      `/api/v1/incidents/${opts.incident ?? incidentId}/evidence/${opts.hash ?? sha256(body)}`,
      {
        token: opts.token ?? tablet.token,
        raw: body,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': encodeURIComponent('Jo Smith'),
          'x-evidence-filename': 'till-2.jpg',
          ...(opts.headers ?? {}),
        },
      },
    );

  it('accepts a CCTV still: hash re-computed, type by magic bytes, exhibit reference, capture time and clock offset', async () => {
    const jpeg = buildJpeg();
    const res = await put(jpeg, {
      headers: { 'x-evidence-captured-at': '2026-11-20T14:03:00Z', 'x-evidence-clock-offset': '-93' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reference: 'JS/1',
      producerName: 'Jo Smith',
      sha256: sha256(jpeg),
      sizeBytes: jpeg.length,
      mediaType: 'image/jpeg',
      originalName: 'till-2.jpg',
      capturedAt: '2026-11-20T14:03:00.000Z',
      clockOffsetSeconds: -93,
      uploadedBy: tablet.deviceId,
    });
    // the master is stored write-once under its hash
    const master = join(storage, 'masters', p.partnershipId, sha256(jpeg).slice(0, 2), sha256(jpeg));
    expect(statSync(master).mode & 0o777).toBe(0o444);
    // the same file again is the same exhibit (idempotent by content)
    const again = await put(jpeg);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    // a second exhibit by the same producer is numbered on
    const png = await put(buildPng(), { headers: { 'x-evidence-filename': 'shelf.png' } });
    expect(png.status).toBe(201);
    expect(png.body.reference).toBe('JS/2');
  });

  it('serves a metadata-free derivative for viewing, never the master', async () => {
    const jpeg = buildJpeg({ seed: 3 });
    const up = await put(jpeg);
    const res = await fetch(
      `${api.http.baseUrl}/api/v1/incidents/${incidentId}/evidence/${up.body.id}/view`,
      {
        headers: { authorization: `Bearer ${p.tokens.coordinator}` },
      },
    );
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="JS-\d+\.jpg"$/);
    expect(res.headers.get('x-evidence-parent-sha256')).toBe(sha256(jpeg));
    expect(res.headers.get('x-evidence-sha256')).toBe(sha256(bytes));
    expect(bytes.equals(jpeg)).toBe(false);
    expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(bytes.subarray(-2).toString('hex')).toBe('ffd9');
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
    expect(jpeg.includes(Buffer.from('GPS'))).toBe(true);
    const rows = await api.db.owner.query(
      `SELECT parent_sha256, sha256 FROM evidence_derivatives WHERE parent_sha256 = $1 AND kind = 'metadata_stripped'`,
      [sha256(jpeg)],
    );
    expect(rows).toEqual([{ parent_sha256: sha256(jpeg), sha256: sha256(bytes) }]);
  });

  it('accepts PNG, HEIC, MP4 and PDF by content', async () => {
    for (const [body, type] of [
      [buildPng(), 'image/png'],
      [buildIsoMedia('heic'), 'image/heic'],
      [buildIsoMedia('isom', 4096), 'video/mp4'],
      [buildPdf(), 'application/pdf'],
    ] as const) {
      const res = await put(body, { headers: { 'x-evidence-filename': 'whatever.bin' } });
      expect([res.status, res.body.mediaType]).toEqual([expect.any(Number), type]);
      expect([200, 201]).toContain(res.status);
    }
  });

  it('refuses a hash mismatch (bit flip or cut short in transit) and keeps nothing', async () => {
    const jpeg = buildJpeg({ seed: 11 });
    const flipped = Buffer.from(jpeg);
    flipped[500] ^= 0x01;
    const res = await put(flipped, { hash: sha256(jpeg) });
    expect(res.status).toBe(422);
    expect(res.body.details[0].field).toBe('sha256');
    const cut = await put(jpeg.subarray(0, 1000), { hash: sha256(jpeg) });
    expect(cut.status).toBe(422);
    expect(
      existsSync(join(storage, 'masters', p.partnershipId, sha256(jpeg).slice(0, 2), sha256(jpeg))),
    ).toBe(false);
  });

  it('refuses the hostile corpus, oversize, empty and traversal names, leaving no orphan files', async () => {
    const before = await api.db.owner.query(`SELECT count(*)::int AS n FROM exhibits`);
    const outcomes: string[] = [];
    for (const item of hostileCorpus()) {
      const res = await put(item.body, { headers: { 'x-evidence-filename': item.name } });
      outcomes.push(`${item.label}: ${res.status}`);
      expect([item.label, res.status, res.body.code]).toEqual([item.label, 415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    // oversize, declared: refused before reading
    const big = buildJpeg({ size: LIMIT + 10 });
    const declared = await put(big);
    expect(declared.status).toBe(413);
    // oversize, streamed without a length: refused while streaming
    const streamed = await fetch(
      `${api.http.baseUrl}/api/v1/incidents/${incidentId}/evidence/${sha256(big)}`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${tablet.token}`,
          'content-type': 'application/octet-stream',
          'x-evidence-producer': 'Jo%20Smith',
        },
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < big.length; i += 8192) {
              c.enqueue(big.subarray(i, i + 8192));
            }
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit,
    );
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    // zero bytes
    const empty = await put(Buffer.alloc(0));
    expect(empty.status).toBe(400);
    // traversal and hidden names
    for (const name of [
      '../../etc/passwd.jpg',
      '..%2F..%2Fx.jpg',
      'C:%5Cevil.jpg',
      '.htaccess',
      'a%00b.jpg',
    ]) {
      const res = await put(buildJpeg({ seed: 5 }), { headers: { 'x-evidence-filename': name } });
      expect([name, res.status, res.body.details?.[0]?.field]).toEqual([name, 400, 'x-evidence-filename']);
    }
    // a path that is not a hash
    const notHash = await put(buildJpeg(), { hash: 'not-a-hash' });
    expect(notHash.status).toBe(400);
    // other content types never reach the handler
    const html = await api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256('x')}`, {
      token: tablet.token,
      raw: '<html></html>',
      headers: { 'content-type': 'text/html', 'x-evidence-producer': 'Jo' },
    });
    expect(html.status).toBe(415);

    expect((await api.db.owner.query(`SELECT count(*)::int AS n FROM exhibits`))[0].n).toBe(before[0].n);
    // nothing left over: tmp is empty and every stored file belongs to a row
    expect(filesUnder(join(storage, 'tmp'))).toEqual([]);
    const masters = await api.db.owner.query(
      `SELECT partnership_id, sha256 FROM evidence_masters ORDER BY 1, 2`,
    );
    expect(filesUnder(join(storage, 'masters'))).toEqual(
      masters
        .map((m: { partnership_id: string; sha256: string }) =>
          join(m.partnership_id, m.sha256.slice(0, 2), m.sha256),
        )
        .sort(),
    );
    // two masters with the same pixels share a viewing copy (content-addressed)
    const derivs = await api.db.owner.query(
      `SELECT DISTINCT partnership_id, sha256 FROM evidence_derivatives`,
    );
    expect(filesUnder(join(storage, 'derivatives'))).toEqual(
      derivs
        .map((m: { partnership_id: string; sha256: string }) =>
          join(m.partnership_id, m.sha256.slice(0, 2), m.sha256),
        )
        .sort(),
    );
    expect(
      filesUnder(resolve(storage, '..')).filter((f) => f.includes('passwd') || f.includes('evil')),
    ).toEqual([]);
  });

  it('keeps uploads to the report’s store and partnership', async () => {
    const jpeg = buildJpeg({ seed: 21 });
    const otherStoreTablet = await givenTablet(api, p, 1);
    expect((await put(jpeg, { token: otherStoreTablet.token })).status).toBe(403);
    expect((await put(jpeg, { token: other.tokens.coordinator })).status).toBe(404);
    expect((await put(jpeg, { incident: randomUUID() })).status).toBe(404);
    expect((await put(jpeg, { token: p.tokens.analyst })).status).toBe(403);
  });

  it('gives the app role no UPDATE or DELETE on evidence masters (the owner, for retention, can)', async () => {
    const app = new Client({ connectionString: api.db.config.db.url });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [p.partnershipId]);
      await expect(app.query(`UPDATE evidence_masters SET media_type = 'text/html'`)).rejects.toThrow(
        /permission denied/,
      );
      await app.query('ROLLBACK');
      await app.query('BEGIN');
      await app.query(`SELECT set_config('app.partnership_id', $1, true)`, [p.partnershipId]);
      await expect(app.query(`DELETE FROM evidence_masters`)).rejects.toThrow(/permission denied/);
      await app.query('ROLLBACK');
      for (const table of ['exhibits', 'evidence_derivatives']) {
        await app.query('BEGIN');
        await expect(app.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
        await app.query('ROLLBACK');
      }
    } finally {
      await app.end();
    }
    // negative control: the owner can (only retention runs as the owner)
    await api.db.owner.transaction(async (em) => {
      const r = await em.query(`UPDATE evidence_masters SET media_type = media_type RETURNING id`);
      expect(r[0].length).toBeGreaterThan(0);
    });
  });
});
