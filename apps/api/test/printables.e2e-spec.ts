import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildJpeg,
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  seedIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';

jest.setTimeout(120_000);

const DAY = 24 * 3600 * 1000;

/** "3 Mar 2027" on London's calendar, as people read a date. */
const londonDay = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));

/** Line breaks and runs of spaces folded, so a sentence is found across printed lines. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Issue 18: the served copy of an exclusion notice and a gallery's briefing sheet, as PDFs. */
describe('printable notices: exclusion letter and gallery briefing sheet', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let other: GivenPartnership;
  let device: string;
  const dir = mkdtempSync(join(tmpdir(), 'printables-e2e-'));

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    const enrol = await api.http.post(
      '/api/v1/devices',
      { storeId: p.storeIds[0], name: 'Till 1' },
      p.tokens.store_manager,
    );
    device = (await api.http.post('/api/v1/auth/device', { credential: enrol.body.credential })).body
      .accessToken;
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, token = p.tokens.coordinator) =>
    api.http.post(`/api/v1${path}`, body, token);

  /** A download as raw bytes (the test client reads bodies as text). */
  async function download(path: string, token: string) {
    const res = await fetch(`${api.http.baseUrl}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  let n = 0;
  /** The PDF's text as a PDF reader extracts it, and how many images it embeds. */
  function readPdf(bytes: Buffer): { text: string; images: number } {
    const file = join(dir, `doc-${++n}.pdf`);
    writeFileSync(file, bytes);
    const text = flat(execFileSync('pdftotext', [file, '-']).toString());
    const list = execFileSync('pdfimages', ['-list', file]).toString().trim().split('\n');
    return { text, images: list.length - 2 };
  }

  async function logged(action: string, objectType: string, objectId: string, actorId: string) {
    const rows: { recipients: string[]; justification: string | null }[] = await api.db.owner.query(
      `SELECT recipients, justification FROM access_log
        WHERE action = $1 AND object_type = $2 AND object_id = $3 AND actor_id = $4`,
      [action, objectType, objectId, actorId],
    );
    return rows;
  }

  it('the appeal contact is an offender setting; leaving it out keeps it', async () => {
    const base = { thresholdPence: 20000, windowDays: 90, minIncidents: 3, exclusionMonths: 12 };
    expect(
      (await api.http.get('/api/v1/offender-settings', p.tokens.coordinator)).body.appealContact,
    ).toBeNull();
    const set = await post('/offender-settings', {
      ...base,
      appealContact: 'The Partnership Manager, 1 Town Hall Square, AB1 9ZZ, or appeals@test-bcrp.example',
    });
    expect(set.status).toBe(200);
    expect(set.body.appealContact).toContain('1 Town Hall Square');
    const kept = await post('/offender-settings', { ...base, exclusionMonths: 6 });
    expect(kept.body).toMatchObject({
      exclusionMonths: 6,
      appealContact: expect.stringContaining('Town Hall'),
    });
    const bad = await post('/offender-settings', { ...base, appealContact: 'x\u202Ey' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('appealContact');
    expect((await post('/offender-settings', base)).status).toBe(200);
  });

  it('exclusion letter: the served copy says premises, reason, term, civil right, return, appeal and service', async () => {
    const sid = (await post('/subjects', buildSubjectRequest({ name: 'Jamie Letterman' }))).body.id as string;
    const servedAt = new Date(Date.now() - 2 * DAY).toISOString();
    const notice = await post(
      `/subjects/${sid}/exclusion-notices`,
      {
        storeIds: [p.storeIds[0]],
        reason: 'Theft of razor blades on three occasions and threats to staff',
        servedAt,
        servedByName: 'Jo Storemanager',
        serviceMethod: 'in_person',
        acknowledgement: 'acknowledged',
      },
      p.tokens.store_manager,
    );
    expect(notice.status).toBe(201);
    const id = notice.body.id as string;

    const res = await download(`/exclusion-notices/${id}/letter.pdf`, p.tokens.store_manager);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="exclusion-notice-S-/);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = readPdf(res.bytes);
    const ref = (await api.http.get(`/api/v1/subjects/${sid}`, p.tokens.coordinator)).body
      .reference as string;
    for (const expected of [
      'EXCLUSION NOTICE',
      'To: Jamie Letterman',
      `Your reference: ${ref}`,
      // which premises
      'High Street Express, 1 High Street, AB1 2CD',
      // the reason
      'Theft of razor blades on three occasions and threats to staff',
      // the civil basis
      'has the right to refuse you entry',
      'It is not a court order',
      'the police take no part in exclusion decisions',
      // a return
      'If you return while this notice applies',
      'you are a trespasser',
      // how to appeal: who, how, when
      'How to ask for a review or appeal',
      'at any time while it applies',
      'Contact: The Partnership Manager, 1 Town Hall Square, AB1 9ZZ, or appeals@test-bcrp.example',
      "The partnership's board decides appeals",
      // data protection
      'subject access request',
      // service
      'Served by: Jo Storemanager',
      'How: handed to you in person',
      'Acknowledgement: you acknowledged receipt of this notice',
      'Signature of the person excluded:',
      'Generated by Retail crime hub',
    ]) {
      expect(text).toContain(expected);
    }
    // the term: from the day served to the expiry, twelve months on by default
    const time = String.raw`\w{3}, %s, \d\d:\d\d \(UK time\)`;
    expect(text).toMatch(new RegExp(`From: ${time.replace('%s', londonDay(servedAt))}`));
    expect(text).toMatch(
      new RegExp(`Until \\(expiry\\): ${time.replace('%s', londonDay(notice.body.expiresAt))}`),
    );
    expect(text).toMatch(new RegExp(`Served on: ${time.replace('%s', londonDay(servedAt))}`));
    expect(text).toMatch(/page 1 of \d/);
    // no raw keys, enum values or JSON
    for (const raw of [
      'in_person',
      'storeIds',
      'serviceMethod',
      'appealStatus',
      'distinguishingMarks',
      '{',
      '"',
    ]) {
      expect(text).not.toContain(raw);
    }
    // logged as disclosed to the person excluded, by the store manager who printed it
    expect(await logged('disclose', 'exclusion_notice', id, p.users.store_manager.id)).toEqual([
      { recipients: ['the person excluded (served copy)'], justification: 'exclusion notice letter printed' },
    ]);
    expect(await logged('consult', 'subject', sid, p.users.store_manager.id)).toHaveLength(1);

    // who may not print it: roles without notices, another partnership, and nothing is logged for them
    for (const [token, status] of [
      [p.tokens.shopworker, 403],
      [p.tokens.police, 403],
      [p.tokens.analyst, 403],
      [device, 403],
      [other.tokens.coordinator, 404],
      [other.tokens.store_manager, 404],
    ] as const) {
      expect({
        token,
        status: (await download(`/exclusion-notices/${id}/letter.pdf`, token)).status,
      }).toEqual({
        token,
        status,
      });
    }
    const [{ n: refused }] = await api.db.owner.query(
      `SELECT count(*)::int AS n FROM access_log WHERE object_id = $1 AND action = 'disclose' AND actor_id <> $2`,
      [id, p.users.store_manager.id],
    );
    expect(refused).toBe(0);
    // anything but a notice of the partnership is simply not found
    expect((await download(`/exclusion-notices/not-a-uuid/letter.pdf`, p.tokens.coordinator)).status).toBe(
      404,
    );
    expect((await download(`/exclusion-notices/${sid}/letter.pdf`, p.tokens.coordinator)).status).toBe(404);
  });

  it('exclusion letter: a store manager prints only notices naming their store; an area notice is the coordinators', async () => {
    const sid = (await post('/subjects', buildSubjectRequest({ kind: 'id_sought', name: undefined }))).body
      .id as string;
    const servedAt = new Date(Date.now() - DAY).toISOString();
    const elsewhere = await post(`/subjects/${sid}/exclusion-notices`, {
      storeIds: [p.storeIds[1]],
      reason: 'Abuse of staff at the other store',
      servedAt,
      servedByName: 'Coordinator Cole',
      serviceMethod: 'post',
    });
    const area = await post(`/subjects/${sid}/exclusion-notices`, {
      area: 'Town centre BID area',
      reason: 'Thefts across the town centre',
      servedAt,
      servedByName: 'Coordinator Cole',
      serviceMethod: 'post',
      expiresAt: new Date(Date.now() + 90 * DAY).toISOString(),
    });
    expect([elsewhere.status, area.status]).toEqual([201, 201]);
    for (const n of [elsewhere, area]) {
      expect(
        (await download(`/exclusion-notices/${n.body.id}/letter.pdf`, p.tokens.store_manager)).status,
      ).toBe(403);
    }
    const res = await download(`/exclusion-notices/${area.body.id}/letter.pdf`, p.tokens.admin);
    expect(res.status).toBe(200);
    const { text } = readPdf(res.bytes);
    expect(text).toContain('name not known to us');
    expect(text).toContain('height: about 5ft 10');
    expect(text).toContain('in this area: Town centre BID area');
    expect(text).toContain('How: sent to you by post');
    expect(text).toContain(`Until (expiry): `);
    expect(text).toContain(londonDay(area.body.expiresAt));
    expect(text).not.toContain('High Street Express');
    expect(await logged('disclose', 'exclusion_notice', area.body.id, p.users.admin.id)).toHaveLength(1);
  });

  it('gallery briefing: listed people with photo, described in words, why and until when, with the fair-process notes', async () => {
    const sid = (
      await post(
        '/subjects',
        buildSubjectRequest({
          name: 'Robin Briefed',
          description: {
            apparentAgeRange: '30-40',
            usualClothing: 'black puffer jacket, white trainers',
            distinguishingMarks: 'tattoo on right hand',
          },
        }),
      )
    ).body;
    const image = buildJpeg({ seed: 18 });
    const up = await api.http.request('POST', `/api/v1/subjects/${sid.id}/images`, {
      token: p.tokens.coordinator,
      raw: image,
      headers: { 'content-type': 'application/octet-stream', 'x-content-sha256': sha256(image) },
    });
    expect(up.status).toBe(201);
    const incidentId = await seedIncident(api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(Date.now() - 3 * DAY),
    });
    expect((await post(`/subjects/${sid.id}/incidents`, { incidentId })).status).toBe(201);
    const gallery = await post('/galleries', {
      name: 'Town centre briefing',
      purpose: 'People excluded from member shops',
      defaultListingDays: 30,
      audienceRoles: ['shopworker', 'store_manager'],
    });
    expect(gallery.status).toBe(201);
    const gid = gallery.body.id as string;
    const listing = await post(
      `/galleries/${gid}/listings`,
      {
        subjectId: sid.id,
        reason: 'Three thefts of razor blades in March, seen on CCTV',
        incidentIds: [incidentId],
      },
      p.tokens.store_manager,
    );
    const approved = await post(
      `/gallery-listings/${listing.body.id}/review`,
      { decision: 'approve' },
      p.tokens.admin,
    );
    expect(approved.body.state).toBe('listed');
    // a proposal not yet reviewed is not on the sheet
    const pendingSubject = (await post('/subjects', buildSubjectRequest({ name: 'Pat Pending' }))).body;
    const pendingIncident = await seedIncident(api.db.owner, {
      partnershipId: p.partnershipId,
      storeId: p.storeIds[0],
      reportedBy: p.users.shopworker.id,
      occurredAt: new Date(Date.now() - 2 * DAY),
    });
    await post(`/subjects/${pendingSubject.id}/incidents`, { incidentId: pendingIncident });
    expect(
      (
        await post(`/galleries/${gid}/listings`, {
          subjectId: pendingSubject.id,
          reason: 'Proposed only',
          incidentIds: [pendingIncident],
        })
      ).status,
    ).toBe(201);

    const res = await download(`/galleries/${gid}/briefing.pdf`, p.tokens.shopworker);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="gallery-briefing-\d{4}-\d\d-\d\d\.pdf"/,
    );
    const { text, images } = readPdf(res.bytes);
    for (const expected of [
      'Gallery briefing sheet: Town centre briefing',
      'Purpose: People excluded from member shops',
      `${sid.reference}: Robin Briefed`,
      'Also known as: Lex',
      'Apparent age: 30-40',
      'Usual clothing: black puffer jacket, white trainers',
      'Distinguishing marks: tattoo on right hand',
      'Vehicles: AB12CDE (blue Ford)',
      'Why listed: Three thefts of razor blades in March, seen on CCTV',
      `Listing ends: ${londonDay(approved.body.expiresAt)}`,
      // fair process and data protection
      'Do not confront',
      'report it through the hub',
      'approved by a second person',
      'Do not copy, photograph, scan or share it',
      `by ${londonDay(approved.body.expiresAt)}`,
      // watermarked with who printed it
      'CONFIDENTIAL',
      'printed for shopworker, shop worker, High Street Express',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Pat Pending');
    expect(images).toBe(1);
    for (const raw of [
      'usualClothing',
      'apparentAgeRange',
      'distinguishingMarks',
      'store_manager',
      '{',
      '"',
    ]) {
      expect(text).not.toContain(raw);
    }
    // the download is a logged disclosure of the subject and of the photo printed
    const imageId = up.body.id as string;
    expect(await logged('disclose', 'subject', sid.id, p.users.shopworker.id)).toEqual([
      {
        recipients: [p.users.shopworker.id],
        justification: 'gallery briefing sheet printed: Town centre briefing',
      },
    ]);
    expect(await logged('disclose', 'subject_image', imageId, p.users.shopworker.id)).toHaveLength(1);
    expect(await logged('disclose', 'subject', pendingSubject.id, p.users.shopworker.id)).toHaveLength(0);

    // exactly who may view the gallery may print it: not police (not in its audience), analysts,
    // tablets or another partnership; coordinators always
    for (const [token, status] of [
      [p.tokens.store_manager, 200],
      [p.tokens.coordinator, 200],
      [p.tokens.police, 403],
      [p.tokens.analyst, 403],
      [device, 403],
      [other.tokens.coordinator, 404],
      [other.tokens.shopworker, 404],
    ] as const) {
      expect({ token, status: (await download(`/galleries/${gid}/briefing.pdf`, token)).status }).toEqual({
        token,
        status,
      });
    }
    expect(await logged('disclose', 'subject', sid.id, p.users.police.id)).toHaveLength(0);

    // delisted: off the sheet at once
    expect(
      (await post(`/gallery-listings/${listing.body.id}/delist`, { reason: 'Identified as someone else' }))
        .status,
    ).toBe(200);
    const after = readPdf((await download(`/galleries/${gid}/briefing.pdf`, p.tokens.shopworker)).bytes);
    expect(after.text).toContain('Nobody is listed in this gallery at the moment.');
    expect(after.text).not.toContain(sid.reference);
    expect(after.images).toBe(0);
  });
});
