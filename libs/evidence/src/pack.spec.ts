import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStorageSettings } from '@app/storage';
import { canonicalJson } from './canonical-json';
import { type ChainedEntry, chainHash, type ContinuityEntry, GENESIS_HASH } from './chain';
import { buildPackInChildProcess } from './fork';
import { generatorName, HUB_VERSION } from './generator';
import { exhibitPackPaths } from './layout';
import type { ExhibitFile, PackPlan, PackResult } from './plan';
import { BUILDER_NICE } from './priority';
import { formatSha256Sums } from './sums';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function chain(caseId: string, n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const entry: ContinuityEntry = {
      seq: i,
      case_id: caseId,
      at: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(),
      actor_id: randomUUID(),
      actor_kind: 'user',
      action: i === 1 ? 'case_opened' : 'exhibit_captured',
      object_type: i === 1 ? 'case' : 'exhibit',
      object_id: randomUUID(),
      sha256: i === 1 ? null : sha(String(i)),
      details: { reference: `JS/${i}` },
    };
    const hash = chainHash(entry, prev);
    out.push({ ...entry, prev_hash: prev, hash });
    prev = hash;
  }
  return out;
}

/** A plan with `count` exhibits of `size` bytes, two statements and an ISB. */
export function samplePlan(dir: string, count = 3, size = 4096): PackPlan {
  const caseId = randomUUID();
  const raw: Omit<ExhibitFile, 'packPath'>[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(size);
    const sourceKey = `masters/master-${i}`;
    mkdirSync(join(dir, 'masters'), { recursive: true });
    writeFileSync(join(dir, sourceKey), bytes);
    raw.push({
      reference: `JS/${i + 1}`,
      incidentId: randomUUID(),
      exhibitId: randomUUID(),
      sourceKey,
      sha256: sha(bytes),
      sizeBytes: size,
      mediaType: 'image/jpeg',
      originalName: `cam${i}.jpg`,
      producerName: 'Jo Smith',
      capturedAt: '2026-01-02T10:00:00.000Z',
      clockOffsetSeconds: -90,
      uploadedAt: '2026-01-02T11:00:00.000Z',
    });
  }
  const paths = exhibitPackPaths(raw);
  let running = 0;
  const values = [8000, 9500, 7000];
  return {
    packId: randomUUID(),
    caseId,
    caseReference: 'CASE-TEST-1',
    outPath: join(dir, 'out', 'pack.zip'),
    storage: localStorageSettings(dir),
    signingKeyPath: join(dir, 'keys', 'signing.pem'),
    generatedAt: '2026-02-01T12:00:00.000Z',
    generator: generatorName('test'),
    partnership: { name: 'Test BCRP', policeForceArea: 'Test Constabulary', jurisdiction: 'england_wales' },
    summary: {
      reference: 'CASE-TEST-1',
      status: 'in_triage',
      openedAt: '2026-01-05T09:00:00.000Z',
      openedFrom: 'serial-offender flag',
      officer: 'PC Test 123',
      crimeReferences: ['CR/1/26'],
      offences: [
        {
          title: 'Theft from a shop',
          provision: 's.1 Theft Act 1968',
          basis: 'goods offered for sale taken without payment',
          dates: ['2026-01-01', '2026-01-02', '2026-01-03'],
          rows: [1, 2, 3],
          law: [],
        },
      ],
      subject: { displayName: 'Subject S-1', description: 'tall, grey hoodie', flags: ['serial under-£200'] },
      schedule: values.map((v, i) => {
        running += v;
        return {
          row: i + 1,
          incidentId: randomUUID(),
          occurredAt: `2026-01-0${i + 1}T10:00:00.000Z`,
          storeName: `Store ${i + 1}`,
          act: 'Theft from a shop',
          items: `Steak x${i + 1}`,
          valuePence: v,
          runningTotalPence: running,
          crimeReference: 'CR/1/26',
          isTheft: true,
        };
      }),
      thresholdPence: 20000,
      compensation: values.map((v, i) => ({
        occurredAt: `2026-01-0${i + 1}T10:00:00.000Z`,
        storeName: `Store ${i + 1}`,
        loser: 'Test Retail Ltd',
        takenPence: v,
        recoveredPence: 0,
        damagedPence: 0,
        lossPence: v,
      })),
      exclusions: [
        {
          premises: 'Store 1',
          termFrom: '2025-12-01',
          termTo: '2026-12-01',
          servedAt: '2025-12-01T10:00:00.000Z',
          servedBy: 'BCRP manager',
          method: 'in person',
          acknowledgement: 'signed',
          reference: 'EX-1',
        },
      ],
      rules: [
        {
          code: 'MCA1980-s22A',
          title: 'Low-value shoplifting',
          source: "s.22A Magistrates' Courts Act 1980",
          effectiveFrom: '2014-05-13',
          keyDate: 'proceedings date',
          appliedAs: 'aggregate over £200',
        },
      ],
      priorityReasons: ['Prolific or flagged subject'],
      evidenceList: ['JS/1 CCTV still'],
      notes: [],
    },
    statements: [1, 2].map((n) => ({
      fileName: `MG11-${n}-Sam-Jones-v1.pdf`,
      incidentId: randomUUID(),
      statementId: randomUUID(),
      version: 1,
      supersedesId: null,
      witnessName: `Sam Jones ${n}`,
      witnessAgeIfUnder18: null,
      witnessOccupation: 'Store manager',
      statementText: `I saw the man take steak number ${n}.`,
      pageCount: 1,
      declarationText:
        'This statement (consisting of 1 page(s) each signed by me) is true to the best of my knowledge and belief',
      readOverBy: null,
      signatureName: `S. Jones ${n}`,
      signedAt: '2026-01-03T15:04:00.000Z',
      contentSha256: sha(String(n)),
      crimeReference: 'CR/1/26',
      exhibitsProduced:
        n === 1
          ? [{ reference: 'JS/1', packPath: 'exhibits/JS-1.jpg', mediaType: 'image/jpeg', capturedAt: null }]
          : [],
    })),
    impactStatements: [
      {
        fileName: 'ISB-1.pdf',
        kind: 'isb',
        sourceId: randomUUID(),
        given: 'in answer to a police request',
        madeBy: 'Area Manager',
        madeAt: '2026-01-04T10:00:00.000Z',
        text: 'Staff are frightened.',
      },
    ],
    exhibits: raw.map((r, i) => ({ ...r, packPath: paths[i] })),
    continuity: chain(caseId, 6),
  };
}

function unzipTo(zip: string, dir: string): void {
  execFileSync('unzip', ['-q', zip, '-d', dir]);
}

function verify(dir: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(dir, 'verify.mjs'), dir, ...args], {
    encoding: 'utf8',
    cwd: tmpdir(),
  });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

describe('evidence pack builder and verify.mjs', () => {
  let dir: string;
  let plan: PackPlan;
  let result: PackResult;
  let clean: string;
  const progress: { done: number; total: number }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pack-'));
    plan = samplePlan(dir);
    result = await buildPackInChildProcess(plan, { onProgress: ({ done, total }) => progress.push({ done, total }) });
    clean = join(dir, 'clean');
    unzipTo(plan.outPath, clean);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const copy = () => {
    const d = join(dir, `t-${randomBytes(4).toString('hex')}`);
    cpSync(clean, d, { recursive: true });
    return d;
  };

  it('reports progress that counts up to its total exactly, never past it', () => {
    const total = progress[0].total;
    expect(progress.every((p) => p.total === total && p.done <= total)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('builds in a process whose every thread runs at the lowest CPU priority, so reports come first', () => {
    expect(result.nice).toBe(BUILDER_NICE);
    expect(result.nice).toBeGreaterThan(getPriority());
  });

  it('builds a ZIP that unzip -t and sha256sum -c accept, with the key outside the pack', () => {
    expect(execFileSync('unzip', ['-t', plan.outPath]).toString()).toContain('No errors detected');
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: clean }).toString();
    expect(
      out
        .trim()
        .split('\n')
        .every((l) => l.endsWith(': OK')),
    ).toBe(true);
    expect(out).toContain('exhibits/JS-1.jpg: OK');
    expect(result.sha256).toBe(sha(readFileSync(plan.outPath)));
    expect(statSync(plan.signingKeyPath).mode & 0o077).toBe(0);
    expect(readFileSync(join(clean, 'signing-key.pub.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
  });

  it('lists every file but itself and the signatures in SHA256SUMS, in the exact sha256sum format', () => {
    const sums = readFileSync(join(clean, 'SHA256SUMS'), 'utf8');
    expect(sums.endsWith('\n')).toBe(true);
    for (const line of sums.trimEnd().split('\n')) {
      expect(line).toMatch(/^[0-9a-f]{64} {2}[^\\\n]+$/);
    }
    const listed = sums
      .trimEnd()
      .split('\n')
      .map((l) => l.slice(66));
    expect(listed).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'continuity.jsonl',
        'verify.mjs',
        'VERIFY.md',
        'checkpoint.json',
      ]),
    );
    expect(listed).not.toContain('SHA256SUMS');
    expect(listed).not.toContain('SHA256SUMS.sig');
    expect(listed).not.toContain('checkpoint.sig');
    expect(
      formatSha256Sums(
        listed.map((path) => ({ path, sha256: sha(readFileSync(join(clean, path))) })),
      ).toString(),
    ).toBe(sums);
  });

  it('keeps exhibits byte for byte as their masters', () => {
    for (const ex of plan.exhibits) {
      expect(sha(readFileSync(join(clean, ex.packPath)))).toBe(ex.sha256);
    }
  });

  it('writes PDFs that pdftotext reads back with the expected text', () => {
    const text = (p: string) => execFileSync('pdftotext', ['-layout', join(clean, p), '-']).toString();
    const summary = text('summary/case-summary.pdf');
    for (const s of [
      'CASE SUMMARY',
      'CASE-TEST-1',
      'Schedule of linked incidents',
      'Store 3',
      '£245.00',
      '£200',
      'Exclusion notices',
      'in person',
      'Legal rules applied',
      "s.22A Magistrates' Courts Act 1980",
      'Subject S-1',
      'page 1 of',
      `Generated by Retail crime hub ${HUB_VERSION} (build test)`,
    ]) {
      expect(summary).toContain(s);
    }
    const mg11 = text('statements/MG11-1-Sam-Jones-v1.pdf');
    for (const s of [
      'WITNESS STATEMENT',
      'Criminal Justice Act 1967, s.9',
      'Sam Jones 1',
      'is true to the best of my knowledge',
      'S. Jones 1',
      'I saw the man take steak number 1.',
      'Signed at',
      'Page 1 of 1',
      `Generated by Retail crime hub ${HUB_VERSION} (build test)`,
      'Exhibits produced by the witness',
      'JS/1 (exhibits/JS-1.jpg, image/jpeg',
    ]) {
      expect(mg11).toContain(s);
    }
    expect(text('statements/ISB-1.pdf')).toContain('IMPACT STATEMENT FOR BUSINESS');
  });

  it("names the generator in the manifest and VERIFY.md; its version is package.json's", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(HUB_VERSION).toBe(pkg.version);
    const manifest = JSON.parse(readFileSync(join(clean, 'manifest.json'), 'utf8')) as { generator: string };
    expect(manifest.generator).toBe(`Retail crime hub ${pkg.version} (build test)`);
    expect(readFileSync(join(clean, 'VERIFY.md'), 'utf8')).toContain(
      `by Retail crime hub ${pkg.version} (build test)`,
    );
  });

  it('verifies an untampered pack, and pins the key by fingerprint', () => {
    const ok = verify(copy());
    expect(ok.out).toContain('OK');
    expect(ok.code).toBe(0);
    expect(verify(copy(), '--fingerprint', result.publicKeyFingerprint).code).toBe(0);
    const other = verify(copy(), '--fingerprint', 'a'.repeat(64));
    expect(other.code).toBe(1);
    expect(other.out).toContain('FAIL signing-key.pub.pem');
  });

  const logLines = (d: string) => readFileSync(join(d, 'continuity.jsonl'), 'utf8').trimEnd().split('\n');
  const writeLog = (d: string, lines: string[]) =>
    writeFileSync(join(d, 'continuity.jsonl'), `${lines.join('\n')}\n`);

  it.each([
    [
      'a flipped byte in an exhibit',
      (d: string) => {
        const p = join(d, 'exhibits/JS-2.jpg');
        const b = readFileSync(p);
        b[100] ^= 0x01;
        writeFileSync(p, b);
      },
      ['FAIL exhibits/JS-2.jpg'],
    ],
    [
      'an edited log line',
      (d: string) => {
        const lines = logLines(d);
        lines[2] = lines[2].replace('exhibit_captured', 'exhibit_destroyed');
        writeLog(d, lines);
      },
      ['FAIL continuity.jsonl:3', 'FAIL continuity.jsonl: SHA-256'],
    ],
    [
      'a deleted log line',
      (d: string) => {
        const lines = logLines(d);
        lines.splice(3, 1);
        writeLog(d, lines);
      },
      ['FAIL continuity.jsonl:4', 'FAIL continuity.jsonl: SHA-256'],
    ],
    [
      'reordered log lines',
      (d: string) => {
        const lines = logLines(d);
        [lines[1], lines[2]] = [lines[2], lines[1]];
        writeLog(d, lines);
      },
      ['FAIL continuity.jsonl:2', 'FAIL continuity.jsonl: SHA-256'],
    ],
    [
      'a truncated log tail',
      (d: string) => writeLog(d, logLines(d).slice(0, -1)),
      ['FAIL checkpoint.json', 'FAIL continuity.jsonl: SHA-256'],
    ],
    [
      'a file swapped for another valid file',
      (d: string) => cpSync(join(d, 'exhibits/JS-1.jpg'), join(d, 'exhibits/JS-3.jpg')),
      ['FAIL exhibits/JS-3.jpg'],
    ],
    [
      'a replaced manifest',
      (d: string) => {
        const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
        m.files = m.files.filter((f: { path: string }) => f.path !== 'exhibits/JS-1.jpg');
        writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2));
      },
      [
        'FAIL manifest.json: SHA-256',
        'FAIL manifest.json: exhibits/JS-1.jpg is in SHA256SUMS but not in the manifest',
      ],
    ],
  ])('names the failing file for %s', (_name, tamper, expected) => {
    const d = copy();
    tamper(d);
    const r = verify(d);
    expect(r.code).toBe(1);
    for (const e of expected) {
      expect(r.out).toContain(e);
    }
  });

  it('catches a chain recomputed after an edit only by the signatures', () => {
    const d = copy();
    // the forger edits an entry, recomputes the whole chain, the checkpoint, the manifest and SHA256SUMS
    let prev = GENESIS_HASH;
    const lines = logLines(d).map((line, i) => {
      const { prev_hash: _p, hash: _h, ...entry } = JSON.parse(line) as ChainedEntry;
      if (i === 2) {
        entry.details = { reference: 'JS/99' };
      }
      const hash = chainHash(entry, prev);
      const out = canonicalJson({ ...entry, prev_hash: prev, hash });
      prev = hash;
      return out;
    });
    writeLog(d, lines);
    const cp = JSON.parse(readFileSync(join(d, 'checkpoint.json'), 'utf8'));
    cp.head_hash = prev;
    writeFileSync(join(d, 'checkpoint.json'), `${canonicalJson(cp)}\n`);
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
    for (const f of m.files) {
      f.sha256 = sha(readFileSync(join(d, f.path)));
      f.size = statSync(join(d, f.path)).size;
    }
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2));
    const listed = readFileSync(join(d, 'SHA256SUMS'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.slice(66));
    writeFileSync(
      join(d, 'SHA256SUMS'),
      formatSha256Sums(listed.map((path) => ({ path, sha256: sha(readFileSync(join(d, path))) }))),
    );
    expect(execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: d }).toString()).toBe('');

    const r = verify(d);
    expect(r.code).toBe(1);
    const fails = r.out.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fails.map((l) => l.split(':')[0]).sort()).toEqual(['FAIL SHA256SUMS.sig', 'FAIL checkpoint.sig']);
  });

  it('fails the build, naming the exhibit, when a master no longer matches its hash', async () => {
    const bad = samplePlan(mkdtempSync(join(tmpdir(), 'pack-bad-')));
    const master = join(bad.storage.dir, bad.exhibits[1].sourceKey);
    const b = readFileSync(master);
    b[0] ^= 0xff;
    writeFileSync(master, b);
    await expect(buildPackInChildProcess(bad)).rejects.toThrow(/exhibits\/JS-2\.jpg: the master's SHA-256/);
    expect(existsSync(`${bad.outPath}.part`)).toBe(false);
  });

  it('fails the build, naming the exhibit, when a master is not in the store', async () => {
    const bad = samplePlan(mkdtempSync(join(tmpdir(), 'pack-missing-')));
    unlinkSync(join(bad.storage.dir, bad.exhibits[2].sourceKey));
    await expect(buildPackInChildProcess(bad)).rejects.toThrow(
      /exhibits\/JS-3\.jpg: the master \w+ is not in the store/,
    );
    expect(existsSync(`${bad.outPath}.part`)).toBe(false);
    expect(existsSync(bad.outPath)).toBe(false);
    rmSync(bad.storage.dir, { recursive: true, force: true });
  });
});
