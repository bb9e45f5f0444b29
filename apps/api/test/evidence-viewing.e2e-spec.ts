import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import {
  buildIsoMedia,
  buildOrientedPhoto,
  exifHasGps,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';

// Slow when the machine is busy (argon2 logins, a fresh database per file); never a timing assertion.
jest.setTimeout(60_000);

/** The viewing copy and the thumbnail of till photos: upright, metadata-free, logged. */
describe('viewing evidence', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let tablet: { deviceId: string; token: string };
  let incidentId: string;
  let photo: Buffer;
  let exhibitId: string;
  let storage: string;

  beforeAll(async () => {
    api = await startTestApi();
    storage = resolve(api.db.config.storage.dir);
    p = await givenPartnership(api);
    tablet = await givenTablet(api, p);
    incidentId = (await postIncident(api, tablet.token)).body.id;
    photo = await buildOrientedPhoto(1200, 800);
    const up = await upload(photo);
    expect(up.status).toBe(201);
    exhibitId = up.body.id;
  });
  afterAll(async () => {
    await api.close();
    rmSync(storage, { recursive: true, force: true });
  });

  const upload = (body: Buffer) =>
    api.http.request('PUT', `/api/v1/incidents/${incidentId}/evidence/${sha256(body)}`, {
      token: tablet.token,
      raw: body,
      headers: { 'content-type': 'application/octet-stream', 'x-evidence-producer': 'Jo%20Smith' },
    });

  const fetchCopy = async (variant: 'view' | 'thumbnail', token: string, exhibit = exhibitId) => {
    const res = await fetch(
      `${api.http.baseUrl}/api/v1/incidents/${incidentId}/evidence/${exhibit}/${variant}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  const consults = async (actorId: string): Promise<number> => {
    const [{ n }] = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM access_log
        WHERE action = 'consult' AND object_type = 'exhibit' AND object_id = $1 AND actor_id = $2`,
      [exhibitId, actorId],
    );
    return n;
  };

  it.each(['view', 'thumbnail'] as const)(
    'the %s is upright, has no EXIF (no GPS), and comes with safe headers',
    async (variant) => {
      const before = await sharp(photo).metadata();
      expect([before.width, before.height, before.orientation, exifHasGps(before.exif)]).toEqual([
        1200,
        800,
        6,
        true,
      ]);
      const { res, bytes } = await fetchCopy(variant, p.tokens.coordinator);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
      expect(res.headers.get('cache-control')).toContain('no-store');
      expect(res.headers.get('x-evidence-parent-sha256')).toBe(sha256(photo));
      expect(res.headers.get('x-evidence-sha256')).toBe(sha256(bytes));
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(bytes.includes(Buffer.from('CAM-0042'))).toBe(false);
      // stored 1200 x 800 sideways: shown 800 x 1200 (the viewing copy) or 213 x 320 (the thumbnail)
      expect([meta.width, meta.height]).toEqual(variant === 'view' ? [800, 1200] : [213, 320]);
    },
  );

  it('logs every view and thumbnail in the access log', async () => {
    const actor = p.users.store_manager.id;
    const before = await consults(actor);
    expect((await fetchCopy('thumbnail', p.tokens.store_manager)).res.status).toBe(200);
    expect((await fetchCopy('view', p.tokens.store_manager)).res.status).toBe(200);
    expect(await consults(actor)).toBe(before + 2);
  });

  it('enters each view in the continuity chain of a case holding the report', async () => {
    const opened = await api.http.post(
      '/api/v1/cases',
      { incidentId, reason: 'till photo of the suspect' },
      p.tokens.police,
    );
    expect(opened.status).toBe(201);
    expect((await fetchCopy('thumbnail', p.tokens.police)).res.status).toBe(200);
    expect((await fetchCopy('view', p.tokens.police)).res.status).toBe(200);
    const chain = await api.http.get(`/api/v1/cases/${opened.body.id}/continuity`, p.tokens.police);
    const views = (chain.body.items as { action: string; object_id: string; details: { copy: string } }[])
      .filter((e) => e.action === 'exhibit_viewed')
      .map((e) => [e.object_id, e.details.copy]);
    expect(views).toEqual([
      [exhibitId, 'metadata-free thumbnail'],
      [exhibitId, 'metadata-free viewing copy'],
    ]);
  });

  it.each(['admin', 'analyst'] as const)('refuses %s (403) and logs nothing', async (role) => {
    const actor = p.users[role].id;
    for (const variant of ['view', 'thumbnail'] as const) {
      const { res } = await fetchCopy(variant, p.tokens[role]);
      expect(res.status).toBe(403);
    }
    expect(await consults(actor)).toBe(0);
  });

  it('answers 409 naming the type for a HEIC, which this sharp cannot decode', async () => {
    const heic = await upload(buildIsoMedia('heic'));
    expect(heic.status).toBe(201);
    const { res, bytes } = await fetchCopy('thumbnail', p.tokens.coordinator, heic.body.id);
    expect(res.status).toBe(409);
    expect(JSON.parse(bytes.toString()).message).toContain('image/heic');
  });
});
