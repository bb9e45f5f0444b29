import { createCipheriv, createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  buildIsoMedia,
  buildJpeg,
  givenPartnership,
  type GivenPartnership,
  postIncident,
  sha256,
  startTestApi,
  type TestApi,
} from '@app/testing';
import { type Fault, FaultProxy } from '../lib/fault-proxy';
import { readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type HistoryEntry,
  type NegativeControl,
  recordResult,
  rng,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { rawRequest } from '../lib/raw-http';

/**
 * E1a transport (quality.md section 5): a till tablet uploads evidence with the SHA-256 it computed
 * before sending (`PUT …/evidence/<sha256>`), through the fault proxy, which flips one bit in the
 * body of 5% of the uploads (positions from the seed). The server re-hashes while streaming. The
 * checker reads the history and the database and the stored files: no flipped body accepted, no
 * intact body refused, and every accepted upload stored under, and hashing to, the client's hash.
 * Uploads run one at a time so each proxy connection is exactly one upload.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'E1a';
const SEED = deriveSeed(ID);
const UPLOADS = scale(40, 500);
const MIN_BYTES = 50 * 1024;
const MAX_BYTES = scale(2, 20) * 1024 * 1024;
const FLIP_SHARE = 0.05;
/** uploads per report (one report per batch, as a till does) */
const PER_REPORT = 25;

/** `n` bytes of high-entropy content from the seed (AES-CTR keystream: native speed, deterministic). */
function seededBytes(n: number, seed: number): Buffer {
  const key = createHash('sha256').update(`${ID}:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(Buffer.alloc(n)), cipher.final()]);
}

/** A deterministic MP4 (ftyp + mdat) whose media data comes from the seed, so every file differs. */
function buildMp4(size: number, seed: number): Buffer {
  const file = buildIsoMedia('isom', size);
  // the mdat payload starts after ftyp (24 bytes) and the mdat header (8 bytes)
  seededBytes(size, seed).copy(file, 32);
  return file;
}

/** The factory's JPEG (JFIF, EXIF with GPS, tables) with `size` bytes of seeded scan data. */
function buildStill(size: number, seed: number): Buffer {
  const empty = buildJpeg({ size: 0, seed });
  const scan = seededBytes(size, seed);
  // no 0xFF inside the scan, so no stray markers
  for (let i = scan.indexOf(0xff); i !== -1; i = scan.indexOf(0xff, i + 1)) {
    scan[i] = 0xfe;
  }
  return Buffer.concat([empty.subarray(0, empty.length - 2), scan, empty.subarray(-2)]);
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
  }
  return h.digest('hex');
}

/** What the database and the storage hold for one client hash. */
export interface StoredUpload {
  /** exhibit rows on the uploaded report with this sha256 */
  exhibits: number;
  /** evidence_masters row exists with this sha256 */
  master: boolean;
  /** SHA-256 of the stored master file's bytes, or null if there is no file */
  fileSha256: string | null;
}

export interface UploadCounts {
  uploads: number;
  flipsPlanned: number;
  flipsApplied: number;
  accepted: number;
  flippedAccepted: number;
  /** flipped uploads refused for another reason than a hash mismatch (422 on sha256) */
  flippedRefusedOtherwise: number;
  /** a 422 whose reported server hash is not the hash of the flipped bytes: the server did not see what the proxy sent */
  flippedServerHashUnexplained: number;
  /** a master stored under the hash of corrupted bytes */
  corruptStored: number;
  intact: number;
  intactRejected: number;
  /** no answer at all (reset, timeout): counted, never silently passed */
  unanswered: number;
  storedHashMismatch: number;
  storedMissing: number;
  retries: number;
  retriesRejected: number;
}

/**
 * The checker: history entries as read back from disk, and what the database and storage hold
 * for each client hash (and for each corrupted hash).
 */
export function checkUploads(
  history: HistoryEntry[],
  stored: Map<string, StoredUpload>,
  flipsApplied: number,
): UploadCounts {
  const uploads = history.filter((h) => h.kind === 'upload');
  const retries = history.filter((h) => h.kind === 'retry');
  const ok = (h: HistoryEntry) => h.outcome === 'ok';
  const flipped = uploads.filter((h) => h.value?.flipApplied === true);
  const intact = uploads.filter((h) => h.value?.flipApplied !== true);
  const acceptedEntries = [...uploads, ...retries].filter(ok);
  const hashMismatch = (h: HistoryEntry) =>
    h.status === 422 && h.value?.refusedField === 'sha256' && typeof h.value?.serverHash === 'string';
  let storedHashMismatch = 0;
  let storedMissing = 0;
  for (const h of acceptedEntries) {
    const client = String(h.value?.clientHash);
    const s = stored.get(client);
    if (!s || s.exhibits === 0 || !s.master || s.fileSha256 === null) {
      storedMissing += 1;
      continue;
    }
    if (h.value?.responseSha256 !== client || s.fileSha256 !== client) {
      storedHashMismatch += 1;
    }
  }
  return {
    uploads: uploads.length,
    flipsPlanned: uploads.filter((h) => h.value?.flipAt !== undefined).length,
    flipsApplied,
    accepted: acceptedEntries.length,
    flippedAccepted: flipped.filter(ok).length,
    flippedRefusedOtherwise: flipped.filter((h) => !ok(h) && !hashMismatch(h)).length,
    flippedServerHashUnexplained: flipped.filter(
      (h) => hashMismatch(h) && h.value?.serverHash !== h.value?.flippedHash,
    ).length,
    corruptStored: flipped.filter((h) => {
      const s = stored.get(String(h.value?.flippedHash));
      return !!s && (s.exhibits > 0 || s.master || s.fileSha256 !== null);
    }).length,
    intact: intact.length,
    intactRejected: intact.filter((h) => h.outcome === 'fail').length,
    unanswered: [...uploads, ...retries].filter((h) => h.outcome === 'info').length,
    storedHashMismatch,
    storedMissing,
    retries: retries.length,
    retriesRejected: retries.filter((h) => h.outcome === 'fail').length,
  };
}

const violations = (c: UploadCounts) =>
  c.flippedAccepted +
  c.flippedRefusedOtherwise +
  c.flippedServerHashUnexplained +
  c.corruptStored +
  c.intactRejected +
  c.unanswered +
  c.storedHashMismatch +
  c.storedMissing +
  c.retriesRejected +
  (c.flipsApplied === c.flipsPlanned ? 0 : 1);

describe('E1a upload transport: bit-flips in transit are refused, intact uploads stored under the client hash', () => {
  let api: TestApi;
  let p: GivenPartnership;
  /** a till tablet: its credential, and an access token renewed before it expires (10 min) */
  const tablet = { credential: '', token: '', at: 0 };
  const signIn = async () => {
    const login = await api.http.post('/api/v1/auth/device', { credential: tablet.credential });
    expect(login.status).toBe(200);
    tablet.token = login.body.accessToken as string;
    tablet.at = Date.now();
  };
  const token = async () => {
    if (Date.now() - tablet.at > 4 * 60_000) {
      await signIn();
    }
    return tablet.token;
  };
  let proxy: FaultProxy;
  let storage: string;
  let nextFault: Fault = { kind: 'pass' };
  const started = new Date().toISOString();

  beforeAll(async () => {
    api = await startTestApi({ EVIDENCE_MAX_BYTES: String(MAX_BYTES + 1024 * 1024) });
    storage = resolve(api.db.config.storage.dir);
    p = await givenPartnership(api);
    const enrol = await api.http.post(
      '/api/v1/devices',
      { storeId: p.storeIds[0], name: 'Till E1a' },
      p.tokens.coordinator,
    );
    expect(enrol.status).toBe(201);
    tablet.credential = enrol.body.credential as string;
    await signIn();
    const target = new URL(api.http.baseUrl);
    proxy = new FaultProxy({ host: '127.0.0.1', port: Number(target.port) }, () => {
      const f = nextFault;
      nextFault = { kind: 'pass' };
      return f;
    });
    await proxy.start();
  });
  afterAll(async () => {
    await proxy?.close();
    await api?.close();
    if (storage) {
      rmSync(storage, { recursive: true, force: true });
    }
  });

  it('accepts no flipped body, refuses no intact one, stores every accepted file under the client hash', async () => {
    const history = new History(ID);
    const random = rng(SEED);
    // exactly 5% of the uploads (at least one) get a flip, chosen by the seed
    const order = Array.from({ length: UPLOADS }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const flipSet = new Set(order.slice(0, Math.max(1, Math.round(UPLOADS * FLIP_SHARE))));
    const reports: string[] = [];
    for (let i = 0; i < Math.ceil(UPLOADS / PER_REPORT); i++) {
      const r = await postIncident(api, await token());
      expect(r.status).toBe(201);
      reports.push(r.body.id as string);
    }
    const send = async (incident: string, hash: string, body: Buffer) =>
      rawRequest(proxy.url, 'PUT', `/api/v1/incidents/${incident}/evidence/${hash}`, {
        token: await token(),
        raw: body,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': encodeURIComponent('Till Camera'),
          'x-evidence-filename': 'cctv.bin',
        },
        timeoutMs: 120_000,
      });
    const schedule: unknown[] = [];
    let bytesSent = 0;
    // bounded: stop uploading with time left for the checker, and record it
    const deadline = Date.now() + SPEC_TIMEOUT_MS * 0.75;
    let timedOut = false;
    for (let i = 0; i < UPLOADS; i++) {
      if (Date.now() > deadline) {
        timedOut = true;
        schedule.push({ upload: i, event: 'timed out: deadline reached, remaining uploads not sent' });
        break;
      }
      const size = Math.round(MIN_BYTES + random() * (MAX_BYTES - MIN_BYTES));
      const kind = random() < 0.5 ? 'jpeg' : 'mp4';
      const fileSeed = Math.floor(random() * 0x7fffffff);
      const body = kind === 'jpeg' ? buildStill(size, fileSeed) : buildMp4(size, fileSeed);
      const clientHash = sha256(body);
      const incident = reports[Math.floor(i / PER_REPORT)];
      const flipAt = flipSet.has(i) ? Math.floor(random() * body.length) : undefined;
      let flippedHash: string | undefined;
      if (flipAt !== undefined) {
        const copy = Buffer.from(body);
        copy[flipAt] ^= 0x01;
        flippedHash = sha256(copy);
        nextFault = { kind: 'bit-flip', at: flipAt, inBody: true };
        schedule.push({ upload: i, fault: 'bit-flip', bodyOffset: flipAt, bytes: body.length });
      } else {
        nextFault = { kind: 'pass' };
      }
      const flipsBefore = proxy.stats.bitFlipsApplied;
      bytesSent += body.length;
      const res = await history.run(
        { op: randomUUID(), client: 'tablet-0', key: clientHash, kind: 'upload' },
        () => send(incident, clientHash, body),
        (r) => ({
          clientHash,
          bytes: body.length,
          media: kind,
          incident,
          flipAt,
          flippedHash,
          flipApplied: proxy.stats.bitFlipsApplied > flipsBefore,
          exhibitId: r.body?.id,
          responseSha256: r.body?.sha256,
          refusedField: r.body?.details?.[0]?.field,
          reason: r.status >= 400 ? String(r.body?.message ?? '').slice(0, 200) : undefined,
          serverHash: /\(([0-9a-f]{64})\)/.exec(String(r.body?.details?.[0]?.problems?.[0] ?? ''))?.[1],
        }),
      );
      // the tablet resends a refused upload as it is (no fault on the resend)
      if (res && res.status >= 400) {
        await history.run(
          { op: randomUUID(), client: 'tablet-0', key: clientHash, kind: 'retry' },
          () => send(incident, clientHash, body),
          (r) => ({
            clientHash,
            incident,
            exhibitId: r.body?.id,
            responseSha256: r.body?.sha256,
            reason: r.status >= 400 ? String(r.body?.message ?? '').slice(0, 200) : undefined,
          }),
        );
      }
    }

    // the checker: history from disk; database and files read once everything is quiet
    const entries = readHistory(history.file);
    const readStored = async (hashes: string[], partnershipId: string) => {
      const out = new Map<string, StoredUpload>();
      for (const h of hashes) {
        const [{ exhibits, master }] = await api.db.owner.query(
          `SELECT (SELECT count(*)::int FROM exhibits WHERE partnership_id = $1 AND sha256 = $2) AS exhibits,
                  EXISTS (SELECT 1 FROM evidence_masters WHERE partnership_id = $1 AND sha256 = $2) AS master`,
          [partnershipId, h],
        );
        const file = join(storage, 'masters', partnershipId, h.slice(0, 2), h);
        out.set(h, {
          exhibits: Number(exhibits),
          master: Boolean(master),
          fileSha256: existsSync(file) ? await hashFile(file) : null,
        });
      }
      return out;
    };
    const hashesOf = (es: HistoryEntry[]) => [
      ...new Set(
        es.flatMap((e) => [e.value?.clientHash, e.value?.flippedHash]).filter((x): x is string => !!x),
      ),
    ];
    const stored = await readStored(hashesOf(entries), p.partnershipId);
    const counts = checkUploads(entries, stored, proxy.stats.bitFlipsApplied);
    const controls: NegativeControl[] = [];

    // control 1, the flipped uploads themselves: the proxy flipped every planned bit, and each
    // flipped body reached the server as flipped (its reported hash is the flipped bytes' hash)
    // and was refused as a hash mismatch
    const flippedEntries = entries.filter((e) => e.kind === 'upload' && e.value?.flipApplied === true);
    const provenRefused = flippedEntries.filter(
      (e) => e.status === 422 && e.value?.serverHash === e.value?.flippedHash,
    ).length;
    controls.push({
      variant: 'bit-flipped bodies through the proxy (each must reach the server flipped and be refused)',
      counts: {
        flipsPlanned: counts.flipsPlanned,
        flipsApplied: counts.flipsApplied,
        refusedWithFlippedHashSeen: provenRefused,
      },
      caught:
        counts.flipsPlanned > 0 &&
        counts.flipsApplied === counts.flipsPlanned &&
        provenRefused === counts.flipsPlanned,
    });

    // control 2, a broken variant of the server: an api started with TEST_DEFECTS=hash-check-off
    // (the streamed SHA-256 is not compared with the client's), on a database of its own, behind a
    // proxy of its own that flips one bit in each body; a tablet sends its precomputed hash, as in
    // the real run. The same checker, over that run's history and what the variant stored, must
    // count every flipped body accepted and stored under the hash of corrupted bytes.
    const ignoredN = scale(3, 10);
    const ignoredCounts = await (async () => {
      const broken = await startTestApi({
        EVIDENCE_MAX_BYTES: String(MAX_BYTES + 1024 * 1024),
        TEST_DEFECTS: 'hash-check-off',
      });
      const brokenStorage = resolve(broken.db.config.storage.dir);
      let brokenFault: Fault = { kind: 'pass' };
      const brokenProxy = new FaultProxy(
        { host: '127.0.0.1', port: Number(new URL(broken.http.baseUrl).port) },
        () => {
          const f = brokenFault;
          brokenFault = { kind: 'pass' };
          return f;
        },
      );
      try {
        await brokenProxy.start();
        const bp = await givenPartnership(broken);
        const enrol = await broken.http.post(
          '/api/v1/devices',
          { storeId: bp.storeIds[0], name: 'Till E1a control' },
          bp.tokens.coordinator,
        );
        const login = await broken.http.post('/api/v1/auth/device', { credential: enrol.body.credential });
        const brokenToken = login.body.accessToken as string;
        const brokenReport = (await postIncident(broken, brokenToken)).body.id as string;
        const ignoredHistory = new History(`${ID}-hash-check-off`);
        for (let i = 0; i < ignoredN; i++) {
          // MP4: any bit of the media data may flip and the file is still a well-formed MP4
          const body = buildMp4(MIN_BYTES + i * 1024, 900_000 + i);
          const clientHash = sha256(body);
          const flipAt = 32 + Math.floor(random() * (body.length - 32));
          const copy = Buffer.from(body);
          copy[flipAt] ^= 0x01;
          const flippedHash = sha256(copy);
          brokenFault = { kind: 'bit-flip', at: flipAt, inBody: true };
          const flipsBefore = brokenProxy.stats.bitFlipsApplied;
          await ignoredHistory.run(
            { op: randomUUID(), client: 'tablet-control', key: clientHash, kind: 'upload' },
            () =>
              rawRequest(brokenProxy.url, 'PUT', `/api/v1/incidents/${brokenReport}/evidence/${clientHash}`, {
                token: brokenToken,
                raw: body,
                headers: {
                  'content-type': 'application/octet-stream',
                  'x-evidence-producer': encodeURIComponent('Till Camera'),
                  'x-evidence-filename': 'cctv.bin',
                },
                timeoutMs: 120_000,
              }),
            (r) => ({
              clientHash,
              flipAt,
              flippedHash,
              flipApplied: brokenProxy.stats.bitFlipsApplied > flipsBefore,
              incident: brokenReport,
              exhibitId: r.body?.id,
              responseSha256: r.body?.sha256,
            }),
          );
        }
        const ignoredEntries = readHistory(ignoredHistory.file);
        const readBroken = async (hashes: string[]) => {
          const out = new Map<string, StoredUpload>();
          for (const h of hashes) {
            const [{ exhibits, master }] = await broken.db.owner.query(
              `SELECT (SELECT count(*)::int FROM exhibits WHERE partnership_id = $1 AND sha256 = $2) AS exhibits,
                      EXISTS (SELECT 1 FROM evidence_masters WHERE partnership_id = $1 AND sha256 = $2) AS master`,
              [bp.partnershipId, h],
            );
            const file = join(brokenStorage, 'masters', bp.partnershipId, h.slice(0, 2), h);
            out.set(h, {
              exhibits: Number(exhibits),
              master: Boolean(master),
              fileSha256: existsSync(file) ? await hashFile(file) : null,
            });
          }
          return out;
        };
        return checkUploads(
          ignoredEntries,
          await readBroken(hashesOf(ignoredEntries)),
          brokenProxy.stats.bitFlipsApplied,
        );
      } finally {
        await brokenProxy.close();
        await broken.close();
        rmSync(brokenStorage, { recursive: true, force: true });
      }
    })();
    controls.push({
      variant: `api with TEST_DEFECTS=hash-check-off (the client's SHA-256 not compared); ${ignoredN} bodies bit-flipped by a proxy, sent with the client's precomputed hash`,
      counts: {
        flipsApplied: ignoredCounts.flipsApplied,
        accepted: ignoredCounts.accepted,
        flippedAccepted: ignoredCounts.flippedAccepted,
        storedHashMismatch: ignoredCounts.storedHashMismatch + ignoredCounts.storedMissing,
        corruptStored: ignoredCounts.corruptStored,
      },
      caught:
        ignoredCounts.flipsApplied === ignoredN &&
        ignoredCounts.flippedAccepted === ignoredN &&
        ignoredCounts.corruptStored === ignoredN,
    });

    const passed = violations(counts) === 0 && !timedOut && controls.every((c) => c.caught);
    const refusedIntact = entries.filter(
      (e) => (e.kind === 'upload' && e.value?.flipApplied !== true) || e.kind === 'retry',
    );
    recordResult({
      id: ID,
      title: 'Evidence upload transport: 5% of bodies bit-flipped by the proxy, client hashes precomputed',
      seed: SEED,
      counts: {
        ...counts,
        uploadsPlanned: UPLOADS,
        timedOut: timedOut ? 1 : 0,
        bytesSent,
        reports: reports.length,
      },
      passFigure: 'flipped accepted 0; intact rejected 0; stored hash = client hash for 100% accepted',
      passed,
      negativeControls: controls,
      schedule,
      config: {
        uploads: UPLOADS,
        bytes: `${MIN_BYTES}–${MAX_BYTES}`,
        flipShare: FLIP_SHARE,
        media:
          'JPEG (with metadata-stripped derivative) and MP4, half each by the seed; high-entropy content from a seeded AES-CTR keystream',
        sequential: true,
        resendAfterRefusal: true,
      },
      historyFile: history.file,
      notes: [
        ...refusedIntact
          .filter((e) => e.outcome !== 'ok')
          .map(
            (e) =>
              `intact ${e.kind} refused ${e.status ?? ''}: ${String(e.value?.reason ?? e.value?.error ?? '')} (${e.value?.media ?? ''} ${e.value?.bytes ?? ''} bytes)`,
          ),
        ...(timedOut ? [`timed out after ${counts.uploads} of ${UPLOADS} uploads`] : []),
        'stored hash checked three ways: the response sha256, the exhibit and master rows, and a SHA-256 of the stored master file',
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(timedOut).toBe(false);
    expect(counts).toMatchObject({
      flippedAccepted: 0,
      flippedRefusedOtherwise: 0,
      flippedServerHashUnexplained: 0,
      corruptStored: 0,
      intactRejected: 0,
      unanswered: 0,
      storedHashMismatch: 0,
      storedMissing: 0,
      retriesRejected: 0,
      flipsApplied: counts.flipsPlanned,
    });
  });
});
