import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildIncidentRequest,
  buildJpeg,
  buildSubjectRequest,
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
import { HUB_VERSION } from '@app/evidence';
import { WorkerModule } from '../../worker/src/worker.module';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const steak = (quantity: number) => [{ description: 'Steak, sirloin 250g', quantity, unitPricePence: 2000 }];

/**
 * Issue #18's journey, read as a reviewing lawyer would: three sub-£200 thefts by one subject (one
 * with an assault), a serial flag, an exclusion notice, an MG11, three exhibits, an ISB given with
 * the report and a VPS given on police request; a case opened from the flag; the pack's every PDF
 * read with pdftotext.
 */
describe('a pack from the whole journey', () => {
  let redis: OwnRedis;
  let api: TestApi;
  let worker: INestApplicationContext;
  let p: GivenPartnership;
  let work: string;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    api = await startTestApi({ REDIS_URL: redis.url });
    p = await givenPartnership(api);
    worker = await NestFactory.createApplicationContext(WorkerModule.register(api.db.config), {
      logger: false,
    });
    await worker.init();
    work = mkdtempSync(join(tmpdir(), 'pack-journey-'));
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await redis?.destroy();
    rmSync(work, { recursive: true, force: true });
    if (api) {
      rmSync(resolve(api.db.config.storage.dir), { recursive: true, force: true });
    }
  });

  const as = (token: string) => ({
    get: (path: string) => api.http.get(`/api/v1${path}`, token),
    post: (path: string, body: unknown, key?: string) =>
      api.http.request('POST', `/api/v1${path}`, {
        token,
        body,
        headers: key ? { 'idempotency-key': key } : {},
      }),
  });

  it('gives a lawyer every fact in words, per act, with the law as it stood', async () => {
    const coordinator = as(p.tokens.coordinator);
    const police = as(p.tokens.police);
    const tablet = await givenTablet(api, p);

    // three £80 thefts three weeks apart; the last also an assault with a first-aid injury
    const occurred = [21, 14, 7].map((d) => new Date(Date.now() - d * DAY).toISOString());
    const ids: string[] = [];
    for (const [n, at] of occurred.entries()) {
      const last = n === 2;
      const filed = await postIncident(
        api,
        tablet.token,
        buildIncidentRequest({
          types: last ? ['theft_shop', 'violence_injury'] : ['theft_shop'],
          injury: last ? 'first_aid' : 'none',
          goods: steak(4),
          occurredAt: at,
          damageValuePence: last ? 3500 : 0,
        }),
      );
      expect(filed.status).toBe(201);
      ids.push(filed.body.id as string);
    }
    const assault = ids[2];

    // the subject, linked to all three: the worker flags the series
    const subject = await coordinator.post('/subjects', buildSubjectRequest());
    expect(subject.status).toBe(201);
    const sid = subject.body.id as string;
    for (const id of ids) {
      expect((await coordinator.post(`/subjects/${sid}/incidents`, { incidentId: id })).status).toBe(201);
    }
    const flag = await eventually(async () => {
      const res = await coordinator.get('/serial-flags?state=new');
      const f = res.body.items.find((x: { subjectId: string }) => x.subjectId === sid);
      expect(f).toBeDefined();
      return f as { id: string };
    }, 60_000);
    const notice = await coordinator.post(`/subjects/${sid}/exclusion-notices`, {
      storeIds: [p.storeIds[0]],
      reason: 'Repeated thefts of meat',
      servedAt: new Date(Date.now() - 6 * DAY).toISOString(),
      servedByName: 'BCRP manager',
      serviceMethod: 'in_person',
    });
    expect(notice.status).toBe(201);

    // three exhibits on the assault: two produced by the witness, one by a colleague
    const upload = async (producer: string, seed: number) => {
      const jpeg = buildJpeg({ size: 30_000 + seed, seed });
      const up = await api.http.request('PUT', `/api/v1/incidents/${assault}/evidence/${sha256(jpeg)}`, {
        token: tablet.token,
        raw: jpeg,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': encodeURIComponent(producer),
        },
      });
      expect(up.status).toBe(201);
      return up.body as { id: string; reference: string };
    };
    const hers = [await upload('Sam Jones', 1), await upload('Sam Jones', 2)];
    const colleagues = await upload('Jo Smith', 3);
    const mg11 = await postStatement(api, p.tokens.store_manager, assault, {
      witnessName: 'Sam Jones',
      witnessOccupation: 'Store manager',
      statementText: `At 14:05 I saw a man put four steaks in a bag. When I asked him to stop he punched me. I produced ${hers[0].reference}.`,
      pageCount: 1,
      declarationAcknowledged: true,
      signatureName: 'S. Jones',
    });
    expect(mg11.status).toBe(201);
    const isb = await as(p.tokens.store_manager).post(
      `/incidents/${assault}/impact-statements`,
      { kind: 'isb', madeBy: 'A. Patel, store manager', text: 'Two staff have left since the attack.' },
      randomUUID(),
    );
    expect(isb.status).toBe(201);

    // the police open a case from the flag, and ask the victim for a VPS
    const opened = await police.post('/cases', {
      serialFlagId: flag.id,
      reason: 'prolific series with violence',
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    const ask = await police.post(`/cases/${caseId}/evidence-requests`, {
      incidentId: assault,
      kind: 'impact_statement',
      message: 'Please ask the colleague for a Victim Personal Statement.',
    });
    expect(ask.status).toBe(201);
    const answered = await as(p.tokens.store_manager).post(`/evidence-requests/${ask.body.id}/answer`, {
      answerText: 'I no longer work late shifts alone.',
      impactKind: 'vps',
      impactMadeBy: 'Sam Jones',
    });
    expect(answered.status).toBe(200);

    // the pack
    const queued = await police.post(`/cases/${caseId}/packs`, {});
    expect(queued.status).toBe(202);
    const pack = await eventually(async () => {
      const r = await police.get(`/packs/${queued.body.id}`);
      expect(r.body.status).toBe('ready');
      return r.body as { id: string; keyFingerprint: string };
    }, 90_000);
    const res = await fetch(`${api.http.baseUrl}/api/v1/packs/${pack.id}/download`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.tokens.police}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: 'CPS Direct, reviewing lawyer', purpose: 'charging decision' }),
    });
    expect(res.status).toBe(200);
    writeFileSync(join(work, 'pack.zip'), Buffer.from(await res.arrayBuffer()));
    const dir = join(work, 'pack');
    execFileSync('unzip', ['-q', join(work, 'pack.zip'), '-d', dir]);
    const published = await api.http.get('/.well-known/evidence-signing-keys');
    const verify = spawnSync(
      process.execPath,
      ['verify.mjs', '.', '--fingerprint', published.body.keys.at(-1).fingerprint],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(verify.status).toBe(0);

    const text = (path: string) =>
      execFileSync('pdftotext', [join(dir, path), '-'])
        .toString()
        .replace(/\s+/g, ' ');
    const pdfs = [
      'summary/case-summary.pdf',
      ...readdirSync(join(dir, 'statements')).map((f) => `statements/${f}`),
    ];
    expect(pdfs.length).toBe(4); // the summary, the MG11, the ISB and the VPS

    // every PDF: the generator named, pages counted, no internal keys or raw JSON
    for (const path of pdfs) {
      const t = text(path);
      expect(t).toContain(`Generated by Retail crime hub ${HUB_VERSION}`);
      expect(t).toMatch(/[Pp]age 1 of \d/);
      for (const raw of [
        '{"',
        's22a.',
        '_offence',
        'threshold_pence',
        'usualClothing',
        'apparentAgeRange',
        'case_opened',
      ]) {
        expect(`${path}: ${t}`).not.toContain(raw);
      }
      // no snake_case key (in_person, theft_shop) and no ISO timestamp: words and UK dates
      expect(`${path}: ${t}`).not.toMatch(/\b[a-z]+_[a-z_]+\b|\d{4}-\d\d-\d\dT\d\d:/);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generator: string };
    expect(manifest.generator).toContain(HUB_VERSION);
    expect(readFileSync(join(dir, 'VERIFY.md'), 'utf8')).toContain('/.well-known/evidence-signing-keys');

    // the case summary
    const summary = text('summary/case-summary.pdf');
    for (const s of [
      // the assault on its own row, the offence its injury supports, each with dates and rows
      'Assault (injury: first aid)',
      'Theft from a shop 4 x Steak',
      'Assault occasioning actual bodily harm (s.47 Offences Against the Person Act 1861)',
      'Theft from a shop (s.1 Theft Act 1968)',
      'schedule rows 1, 2, 3',
      // the law with its dates, the uncommenced repeal and offence said to be so
      'in force from 13 May 2014',
      'Not commenced: not applied; s.22A governs every shop theft here.',
      'Not commenced: not suggested for any act here.',
      'Applied to 3 shop thefts totalling £240.00',
      // the flag as it stood at build time, in words
      'a case was opened from it when this pack was built',
      // the exclusion notice
      'Exclusion notices and proof of service',
      // compensation
      'Compensation (MG19)',
      'damaged £35.00',
      'Total: taken £240.00',
    ]) {
      expect(summary).toContain(s);
    }
    expect(summary).not.toContain('Common assault');

    // the MG11 lists both exhibits its witness produced, not the colleague's
    const statement = text(pdfs.find((f) => f.includes('MG11-'))!);
    for (const e of hers) {
      expect(statement).toContain(`${e.reference} (exhibits/`);
    }
    expect(statement).not.toContain(`${colleagues.reference} (exhibits/`);

    // the ISB given with the report and the VPS given on request
    const impacts = pdfs.filter((f) => /ISB-|VPS-/.test(f)).map(text);
    expect(impacts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/IMPACT STATEMENT FOR BUSINESS .*Given: with the report .*Two staff have left/),
        expect.stringMatching(
          /VICTIM PERSONAL STATEMENT .*Given: in answer to a police request .*late shifts alone/,
        ),
      ]),
    );
  });
});
