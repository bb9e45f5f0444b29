import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Role } from '@app/auth';
import { User } from '@app/identity';
import {
  buildIncidentRequest,
  buildJpeg,
  eventually,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  OwnRedis,
  postIncident,
  postStatement,
  startTestApi,
  type TestApi,
} from '@app/testing';
import { WorkerModule } from '../../worker/src/worker.module';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The done-when journey: from the triage queue to a downloaded, independently verifiable pack. */
describe('cases, triage and evidence packs', () => {
  let redis: OwnRedis;
  let api: TestApi;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  let other: GivenPartnership;
  let tablet: { deviceId: string; token: string };
  let work: string;
  let urgentIncident: string;
  let quietIncident: string;
  let secondOfficer: string;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    api = await startTestApi({ REDIS_URL: redis.url });
    p = await givenPartnership(api);
    other = await givenPartnership(api);
    tablet = await givenTablet(api, p);
    work = mkdtempSync(join(tmpdir(), 'packs-e2e-'));
    urgentIncident = (
      await postIncident(
        api,
        tablet.token,
        buildIncidentRequest({
          types: ['theft_shop', 'violence_injury'],
          weapon: 'knife',
          injury: 'minor',
          cctvOverwriteOn: day(3),
          damageValuePence: 4500,
        }),
      )
    ).body.id;
    quietIncident = (
      await postIncident(api, tablet.token, buildIncidentRequest({ cctvOverwriteOn: day(40) }))
    ).body.id;
    const { identifiers } = await api.db.owner.manager.insert(User, {
      partnershipId: p.partnershipId,
      email: `pc-${Date.now()}@force.test`,
      displayName: 'PC Second',
      role: Role.Police,
      passwordHash: 'x',
    });
    secondOfficer = identifiers[0].id as string;
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await redis?.destroy();
    if (work) {
      rmSync(work, { recursive: true, force: true });
    }
    if (api) {
      rmSync(resolve(api.db.config.storage.dir), { recursive: true, force: true });
    }
  }, 60_000);

  const police = () => p.tokens.police;

  it('goes from the triage queue to a downloaded pack that standard tools and verify.mjs accept', async () => {
    // evidence on the urgent report: a CCTV still and a signed MG11
    const jpeg = buildJpeg({ size: 50_000 });
    const up = await api.http.request('PUT', `/api/v1/incidents/${urgentIncident}/evidence/${sha256(jpeg)}`, {
      token: tablet.token,
      raw: jpeg,
      headers: {
        'content-type': 'application/octet-stream',
        'x-evidence-producer': encodeURIComponent('Jo Smith'),
      },
    });
    expect(up.status).toBe(201);
    // a second still, produced by the witness who signs the MG11 below
    const still = buildJpeg({ size: 40_000 });
    const hers = await api.http.request(
      'PUT',
      `/api/v1/incidents/${urgentIncident}/evidence/${sha256(still)}`,
      {
        token: tablet.token,
        raw: still,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': encodeURIComponent('Sam Jones'),
        },
      },
    );
    expect(hers.status).toBe(201);
    const st = await postStatement(api, p.tokens.store_manager, urgentIncident, {
      witnessName: 'Sam Jones',
      witnessOccupation: 'Store manager',
      statementText:
        'At 14:05 I saw a man put six steaks in a bag. He pulled a knife when I asked him to stop.',
      pageCount: 1,
      declarationAcknowledged: true,
      signatureName: 'S. Jones',
    });
    expect(st.status).toBe(201);
    const isb = await api.http.request('POST', `/api/v1/incidents/${urgentIncident}/impact-statements`, {
      token: p.tokens.store_manager,
      body: { kind: 'isb', madeBy: 'A. Patel, store manager', text: 'Two staff have left since the attack.' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(isb.status).toBe(201);
    expect(isb.body).toMatchObject({ kind: 'isb', incidentId: urgentIncident });

    // police open two cases; the violent one with CCTV about to be overwritten comes first
    const quiet = await api.http.post(
      '/api/v1/cases',
      { incidentId: quietIncident, reason: 'routine theft report' },
      police(),
    );
    expect(quiet.status).toBe(201);
    const opened = await api.http.post(
      '/api/v1/cases',
      { incidentId: urgentIncident, reason: 'knife drawn on staff', offenderDetained: true },
      police(),
    );
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    expect(opened.body.status).toBe('new');

    const queue = await api.http.get('/api/v1/cases?limit=1', police());
    expect(queue.status).toBe(200);
    expect(queue.body.items[0].case.id).toBe(caseId);
    const factors = queue.body.items[0].reasons.map((r: { factor: string }) => r.factor);
    expect(factors).toEqual(
      expect.arrayContaining([
        'violence',
        'weapon',
        'injury',
        'cctv_overwrite',
        'offender_detained',
        'evidence_statement',
        'evidence_exhibit',
      ]),
    );
    expect(queue.body.items[0].score).toBe(
      queue.body.items[0].reasons.reduce((s: number, r: { points: number }) => s + r.points, 0),
    );
    const page2 = await api.http.get(`/api/v1/cases?limit=1&cursor=${queue.body.nextCursor}`, police());
    expect(page2.body.items.map((i: { case: { id: string } }) => i.case.id)).toEqual([quiet.body.id]);
    expect(page2.body.nextCursor).toBeNull();

    // assignment and status changes, each with who and why
    expect(
      (
        await api.http.post(
          `/api/v1/cases/${caseId}/assignment`,
          { officerId: secondOfficer, reason: 'on duty in that area' },
          police(),
        )
      ).status,
    ).toBe(200);
    expect(
      (await api.http.get(`/api/v1/cases?officer=${secondOfficer}`, police())).body.items.map(
        (i: { case: { id: string } }) => i.case.id,
      ),
    ).toEqual([caseId]);
    expect(
      (await api.http.get('/api/v1/cases?officer=unassigned', police())).body.items.map(
        (i: { case: { id: string } }) => i.case.id,
      ),
    ).toEqual([quiet.body.id]);
    expect(
      (
        await api.http.post(
          `/api/v1/cases/${caseId}/transitions`,
          { status: 'in_triage', reason: 'reviewing CCTV' },
          police(),
        )
      ).status,
    ).toBe(200);
    const bad = await api.http.post(
      `/api/v1/cases/${caseId}/transitions`,
      { status: 'court_outcome', reason: 'skip', outcome: 'x' },
      police(),
    );
    expect(bad.status).toBe(409);

    // police ask the store for an ISB; the store sees it and answers
    const ask = await api.http.post(
      `/api/v1/cases/${caseId}/evidence-requests`,
      {
        incidentId: urgentIncident,
        kind: 'impact_statement',
        message: 'Please provide an Impact Statement for Business.',
      },
      police(),
    );
    expect(ask.status).toBe(201);
    expect((await api.http.get(`/api/v1/cases/${caseId}`, police())).body.status).toBe('evidence_requested');
    const inbox = await api.http.get('/api/v1/evidence-requests?status=open', p.tokens.store_manager);
    expect(inbox.body.items.map((r: { id: string }) => r.id)).toEqual([ask.body.id]);
    const answer = await api.http.post(
      `/api/v1/evidence-requests/${ask.body.id}/answer`,
      {
        answerText: 'Staff are frightened to work late shifts.',
        impactKind: 'isb',
        impactMadeBy: 'Area Manager',
      },
      p.tokens.store_manager,
    );
    expect(answer.status).toBe(200);
    expect(
      (
        await api.http.post(
          `/api/v1/cases/${caseId}/transitions`,
          { status: 'ready_for_cps', reason: 'file complete' },
          police(),
        )
      ).status,
    ).toBe(200);
    const updates = await api.http.get('/api/v1/case-updates', p.tokens.shopworker);
    expect(updates.body.items[0].plainWords).toContain('Crown Prosecution Service');
    expect(updates.text).not.toContain('file complete');
    const history = await api.http.get(`/api/v1/cases/${caseId}/history`, police());
    expect(
      history.body.items.map((h: { toStatus: string; reason: string }) => `${h.toStatus}:${h.reason}`),
    ).toEqual([
      'new:knife drawn on staff',
      'new:on duty in that area',
      'in_triage:reviewing CCTV',
      'evidence_requested:requested impact statement',
      'ready_for_cps:file complete',
    ]);

    // the pack: queued through the outbox, built by the worker in its own process
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
    await worker.init();
    const queued = await api.http.post(`/api/v1/cases/${caseId}/packs`, {}, police());
    expect(queued.status).toBe(202);
    const pack = await eventually(async () => {
      const r = await api.http.get(`/api/v1/packs/${queued.body.id}`, police());
      expect({ status: r.body.status, error: r.body.error }).toEqual({ status: 'ready', error: null });
      return r.body;
    }, 60_000);
    expect(pack.progress.done).toBe(pack.progress.total);
    expect(pack.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(pack.expiresAt).not.toBeNull();

    // download = disclosure with the recipient recorded
    const res = await fetch(`${api.http.baseUrl}/api/v1/packs/${pack.id}/download`, {
      method: 'POST',
      headers: { authorization: `Bearer ${police()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        recipient: 'CPS Direct, reviewing lawyer A. Khan',
        purpose: 'charging decision',
      }),
    });
    expect(res.status).toBe(200);
    const zip = Buffer.from(await res.arrayBuffer());
    expect(sha256(zip)).toBe(pack.sha256);
    const logged = await api.db.owner.query(
      `SELECT actor_id, recipients, justification FROM access_log WHERE action = 'disclose' AND object_id = $1`,
      [pack.id],
    );
    expect(logged).toEqual([
      {
        actor_id: p.users.police.id,
        recipients: ['CPS Direct, reviewing lawyer A. Khan'],
        justification: 'charging decision',
      },
    ]);

    const zipPath = join(work, 'pack.zip');
    writeFileSync(zipPath, zip);
    expect(execFileSync('unzip', ['-t', zipPath]).toString()).toContain('No errors detected');
    const dir = join(work, 'pack');
    execFileSync('unzip', ['-q', zipPath, '-d', dir]);
    const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString();
    expect(sums).toContain('exhibits/JS-1.jpg: OK');
    expect(sums).not.toMatch(/FAILED/);
    // the key is pinned from outside the pack: anyone can read the published fingerprints
    const published = await api.http.get('/.well-known/evidence-signing-keys');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      algorithm: 'Ed25519',
      keys: [{ fingerprint: pack.keyFingerprint, current: true }],
    });
    expect(readFileSync(join(dir, 'VERIFY.md'), 'utf8')).toContain('/.well-known/evidence-signing-keys');
    const verify = spawnSync(
      process.execPath,
      ['verify.mjs', '.', '--fingerprint', published.body.keys[0].fingerprint],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(verify.stdout).toContain('OK');
    expect(verify.status).toBe(0);

    const pdf = (path: string) => execFileSync('pdftotext', [join(dir, path), '-']).toString();
    const summary = pdf('summary/case-summary.pdf');
    for (const s of [
      'CASE SUMMARY',
      opened.body.reference,
      'High Street Express',
      '£63.00',
      'Legal rules applied',
      'A weapon was seen',
      'Violence or threats against staff',
    ]) {
      expect(summary).toContain(s);
    }
    // the law in words: the assault on its own row, the offence the recorded (minor) injury
    // supports, uncommenced rules said to be so, and no internal keys or raw JSON
    const flat = summary.replace(/\s+/g, ' ');
    for (const s of [
      'Assault (injury: minor)',
      'Common assault (s.39 Criminal Justice Act 1988): force used, a minor injury recorded',
      'Theft from a shop (s.1 Theft Act 1968)',
      'Repeal of the low-value shoplifting rule (s.22A)',
      'Not commenced: not applied; s.22A governs every shop theft here.',
      'Offence: assault on a retail worker',
      'Not commenced: not suggested for any act here.',
      'Compensation (MG19)',
      'damaged £45.00',
      'loss borne by',
    ]) {
      expect(flat).toContain(s);
    }
    for (const raw of ['s.47', 's22a.', 'retail_worker_offence', 'threshold_pence', '{"', 'usualClothing']) {
      expect(flat).not.toContain(raw);
    }
    const statements = readdirSync(join(dir, 'statements'));
    const mg11 = pdf(`statements/${statements.find((f) => f.startsWith('MG11-'))}`);
    for (const s of [
      'WITNESS STATEMENT',
      'Sam Jones',
      'is true to the best of my knowledge and belief',
      'S. Jones',
      'pulled a knife',
      'Page 1 of 1',
      'Exhibits produced by the witness',
      `${hers.body.reference} (exhibits/`,
    ]) {
      expect(mg11).toContain(s);
    }
    expect(mg11).not.toContain(`${up.body.reference} (exhibits/`);
    // one ISB given with the report, one in answer to the police request: both in the pack
    const isbs = statements
      .filter((f) => f.startsWith('ISB-'))
      .map((f) => pdf(`statements/${f}`).replace(/\s+/g, ' '));
    expect(isbs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Given: with the report .*Two staff have left since the attack/),
        expect.stringMatching(/Given: in answer to a police request .*Staff are frightened/),
      ]),
    );

    // a police view of the exhibit's viewing copy enters the case's chain too
    const viewed = await api.http.get(
      `/api/v1/incidents/${urgentIncident}/evidence/${up.body.id}/view`,
      police(),
    );
    expect(viewed.status).toBe(200);

    // the chain names the capture, the statement, the request, the checkpoint and the view
    const chain = await api.http.get(`/api/v1/cases/${caseId}/continuity`, police());
    const items = chain.body.items as {
      action: string;
      at: string;
      object_id: string | null;
      details: Record<string, unknown>;
    }[];
    expect(items.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'case_opened',
        'exhibit_captured',
        'statement_signed',
        'evidence_request_answered',
        'pack_checkpoint',
        'pack_built',
        'pack_disclosed',
        'exhibit_viewed',
      ]),
    );
    expect(items.find((e) => e.action === 'exhibit_viewed')).toMatchObject({
      object_id: up.body.id,
      details: { reference: up.body.reference },
    });
    // lines taken in when the case opened are marked so, and no line is dated before the one it follows
    const captured = items.find((e) => e.action === 'exhibit_captured' && e.object_id === up.body.id)!;
    expect(captured.details).toMatchObject({ backfilled: true, recorded_at: expect.any(String) });
    const times = items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // packs expire
    await api.db.owner.query(
      `UPDATE evidence_packs SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [pack.id],
    );
    const late = await api.http.post(
      `/api/v1/packs/${pack.id}/download`,
      { recipient: 'CPS', purpose: 'again' },
      police(),
    );
    expect(late.status).toBe(409);
  }, 120_000);

  it('keeps cases to police and to their partnership', async () => {
    const c = await api.http.post(
      '/api/v1/cases',
      { incidentId: quietIncident, reason: 'second look' },
      police(),
    );
    expect((await api.http.get(`/api/v1/cases/${c.body.id}`, other.tokens.police)).status).toBe(404);
    expect((await api.http.get(`/api/v1/cases/${c.body.id}`, p.tokens.coordinator)).status).toBe(403);
    expect(
      (
        await api.http.post(
          '/api/v1/cases',
          { incidentId: quietIncident, reason: 'not mine' },
          other.tokens.police,
        )
      ).status,
    ).toBe(400);
  }, 30_000);
});
