import { createHash } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import bufferCrc32 from 'buffer-crc32';
import { ZipFile } from 'yazl';
// The one import of a lib past its index: the builder starts a process per pack, and the storage
// index would load its Nest module there too (with the config schema and class-validator: ~770
// modules, a third of a second of CPU a pack) for one function.
import { createObjectStorage } from '../../storage/src/create';
import type { ObjectStorage } from '../../storage/src/object-storage';
import { canonicalJson } from './canonical-json';
import { continuityLine, GENESIS_HASH } from './chain';
import { caseSummaryPdf } from './pdf/summary';
import { impactPdf, statementPdf } from './pdf/statement';
import type { Checkpoint, PackFileRecord, PackPlan, PackProgress, PackResult } from './plan';
import { highestThreadPriority } from './priority';
import { loadOrCreateSigningKey, signDetached } from './signing';
import { assertSafePackPath, formatSha256Sums } from './sums';
import { syncedFileStream } from './synced-file';
import { verifyMarkdown } from './verify-md';
import { VERIFY_MJS } from './verify-script';

// yazl takes each entry's CRC-32 from buffer-crc32, a byte loop in JavaScript (about 300 MB/s
// here); zlib's (Node 20.15+) gives the same values ten times faster, and every byte of a pack
// passes through it.
bufferCrc32.unsigned = (data: Buffer | string, previous?: Buffer | number) =>
  crc32(data, Buffer.isBuffer(previous) ? previous.readUInt32BE(0) : (previous ?? 0));

/** Hashes and counts what flows through, for files whose bytes are produced while zipping. */
class HashTap extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  sha256 = '';

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.sha256 = this.hash.digest('hex');
    cb();
  }
}

/**
 * Builds the pack ZIP. Streams: exhibits are read from their masters (in the object storage) only when yazl reaches them
 * (one file open at a time), PDFs are generated when their turn comes, and every byte is hashed
 * on its way into the archive, so memory does not grow with the size or number of exhibits.
 * A master whose bytes no longer match its recorded SHA-256 fails the build, naming the exhibit.
 */
export async function buildPack(
  plan: PackPlan,
  onProgress: (p: PackProgress) => void = () => undefined,
): Promise<PackResult> {
  const key = loadOrCreateSigningKey(plan.signingKeyPath);
  const storage = await createObjectStorage(plan.storage);
  try {
    return await writePack(plan, key, storage, onProgress);
  } finally {
    storage.close();
  }
}

async function writePack(
  plan: PackPlan,
  key: ReturnType<typeof loadOrCreateSigningKey>,
  storage: ObjectStorage,
  onProgress: (p: PackProgress) => void,
): Promise<PackResult> {
  const mtime = new Date(plan.generatedAt);
  const files: PackFileRecord[] = [];
  const zip = new ZipFile();
  const part = `${plan.outPath}.part`;
  await mkdir(dirname(plan.outPath), { recursive: true });
  const outHash = createHash('sha256');
  let outSize = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      outHash.update(chunk);
      outSize += chunk.length;
      cb(null, chunk);
    },
  });
  const written = pipeline(zip.outputStream as Readable, counted, syncedFileStream(part, 0o600));
  // never leave the pipeline's rejection unobserved while entries are still being added
  written.catch(() => undefined);

  // one step per entry: the case summary, each statement and exhibit, then the nine files written
  // after them (continuity, checkpoint, key, verify.mjs, VERIFY.md, manifest, sums and two
  // signatures). It said 8 and finished at 111%.
  const total = plan.exhibits.length + plan.statements.length + plan.impactStatements.length + 10;
  let done = 0;
  const step = (stage: string) => {
    done += 1;
    onProgress({ type: 'progress', done, total, stage });
  };

  /** Adds a streamed entry; resolves with its hash once yazl has consumed all of it. */
  const addStream = (
    path: string,
    kind: string,
    open: () => Readable | Promise<Readable>,
    expectSha?: string,
    extra: Partial<PackFileRecord> = {},
  ) =>
    new Promise<void>((resolve, reject) => {
      assertSafePackPath(path);
      zip.addReadStreamLazy(path, { compress: false, mtime, mode: 0o100444 }, (cb) => {
        const tap = new HashTap();
        tap.on('error', reject);
        tap.on('end', () => {
          if (expectSha && tap.sha256 !== expectSha) {
            reject(
              new Error(`${path}: the master's SHA-256 is ${tap.sha256}, not the recorded ${expectSha}`),
            );
            return;
          }
          files.push({ path, sha256: tap.sha256, size: tap.size, kind, ...extra });
          step(path);
          resolve();
        });
        Promise.resolve()
          .then(open)
          .then(
            (src) => {
              src.on('error', (err) => {
                tap.destroy(err);
                reject(err);
              });
              cb(null, src.pipe(tap));
            },
            (err: Error) => {
              reject(err);
              cb(err, tap);
            },
          );
      });
    });
  const addBuffer = (path: string, kind: string, bytes: Buffer, listed = true) => {
    assertSafePackPath(path);
    zip.addBuffer(bytes, path, { compress: bytes.length > 1024, mtime, mode: 0o100444 });
    if (listed) {
      files.push({
        path,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        kind,
      });
    }
    step(path);
  };

  const zipFailed = new Promise<void>((_resolve, reject) => zip.on('error', reject));
  zipFailed.catch(() => undefined);

  try {
    const streamed: Promise<void>[] = [];
    streamed.push(
      addStream('summary/case-summary.pdf', 'case_summary', () =>
        caseSummaryPdf(plan.summary, plan.generatedAt, plan.generator),
      ),
    );
    for (const st of plan.statements) {
      streamed.push(
        addStream(`statements/${st.fileName}`, 'witness_statement', () =>
          statementPdf(st, plan.generatedAt, plan.generator),
        ),
      );
    }
    for (const d of plan.impactStatements) {
      streamed.push(
        addStream(
          `statements/${d.fileName}`,
          d.kind === 'isb' ? 'impact_statement_business' : 'victim_personal_statement',
          () => impactPdf(d, plan.generatedAt, plan.generator),
        ),
      );
    }
    for (const ex of plan.exhibits) {
      streamed.push(
        addStream(
          ex.packPath,
          'exhibit',
          async () => {
            const master = await storage.get(ex.sourceKey);
            if (!master) {
              throw new Error(`${ex.packPath}: the master ${ex.sha256} is not in the store`);
            }
            return master;
          },
          ex.sha256,
          {
            exhibitReference: ex.reference,
          },
        ),
      );
    }
    await Promise.race([Promise.all(streamed), zipFailed]);

    const log = plan.continuity.map((e) => `${continuityLine(e)}\n`).join('');
    const head = plan.continuity[plan.continuity.length - 1];
    const checkpoint: Checkpoint = {
      case_id: plan.caseId,
      pack_id: plan.packId,
      seq: head?.seq ?? 0,
      head_hash: head?.hash ?? GENESIS_HASH,
      signed_at: plan.generatedAt,
      key_fingerprint: key.fingerprint,
    };
    const checkpointBytes = Buffer.from(`${canonicalJson(checkpoint)}\n`, 'utf8');
    addBuffer('continuity.jsonl', 'continuity_log', Buffer.from(log, 'utf8'));
    addBuffer('checkpoint.json', 'checkpoint', checkpointBytes);
    addBuffer('signing-key.pub.pem', 'public_key', Buffer.from(key.publicKeyPem, 'utf8'));
    addBuffer('verify.mjs', 'verifier', Buffer.from(VERIFY_MJS, 'utf8'));
    addBuffer(
      'VERIFY.md',
      'instructions',
      Buffer.from(
        verifyMarkdown({
          caseReference: plan.caseReference,
          packId: plan.packId,
          fingerprint: key.fingerprint,
          generatedAt: plan.generatedAt,
          generator: plan.generator,
        }),
        'utf8',
      ),
    );

    const exhibitsByPath = new Map(plan.exhibits.map((e) => [e.packPath, e]));
    const manifest = {
      format: 'retail-crime-hub evidence pack v1',
      packId: plan.packId,
      caseId: plan.caseId,
      caseReference: plan.caseReference,
      generatedAt: { utc: plan.generatedAt, uk: ukClock(plan.generatedAt) },
      generator: plan.generator,
      partnership: plan.partnership,
      jurisdiction: plan.partnership.jurisdiction,
      incidentIds: [...new Set(plan.summary.schedule.map((r) => r.incidentId))],
      crimeReferences: plan.summary.crimeReferences,
      ruleVersions: plan.summary.rules.map((r) => ({
        code: r.code,
        effectiveFrom: r.effectiveFrom,
        keyDate: r.keyDate,
      })),
      checkpoint: { seq: checkpoint.seq, headHash: checkpoint.head_hash },
      signing: {
        algorithm: 'Ed25519',
        publicKey: 'signing-key.pub.pem',
        publicKeyFingerprint: key.fingerprint,
      },
      hashChain: 'hash = SHA-256(canonical_json(entry) || prev_hash), UTF-8, first prev_hash = 64 zeros',
      files: [...files]
        .sort((a, b) => (a.path < b.path ? -1 : 1))
        .map((f) => {
          const ex = exhibitsByPath.get(f.path);
          return {
            ...f,
            ...(ex
              ? {
                  acquisition: {
                    exhibitReference: ex.reference,
                    incidentId: ex.incidentId,
                    producer: ex.producerName,
                    originalName: ex.originalName,
                    format: ex.mediaType,
                    capturedAt: ex.capturedAt,
                    recorderClockOffsetSeconds: ex.clockOffsetSeconds,
                    receivedAt: ex.uploadedAt,
                  },
                }
              : {}),
          };
        }),
    };
    addBuffer('manifest.json', 'manifest', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
    const sums = formatSha256Sums(files);
    addBuffer('SHA256SUMS', 'checksums', sums, false);
    addBuffer('SHA256SUMS.sig', 'signature', signDetached(key, sums), false);
    addBuffer('checkpoint.sig', 'signature', signDetached(key, checkpointBytes), false);
    zip.end();
    await written;
    await rename(part, plan.outPath);
    return {
      sha256: outHash.digest('hex'),
      sizeBytes: outSize,
      fileCount: files.length + 3,
      files,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      nice: highestThreadPriority(),
      publicKeyFingerprint: key.fingerprint,
      checkpoint,
    };
  } catch (err) {
    (zip.outputStream as PassThrough).destroy();
    await written.catch(() => undefined);
    await rm(part, { force: true });
    throw err;
  }
}

function ukClock(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(new Date(iso));
}
