import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import {
  buildSubjectRequest,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  postIncident,
  startTestApi,
  type TestApi,
  testConfig,
} from '@app/testing';
import { readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type HistoryEntry,
  type NegativeControl,
  recordResult,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { startApiOn } from '../lib/stack';
import { buildCorpus, type CorpusFile } from './hostile-files';
import { secRequest, ServerReadMeter, streamUpload } from './security-http';

jest.setTimeout(SPEC_TIMEOUT_MS);

/**
 * S3: every upload route the api has (report evidence, subject images, exclusion-notice proof of
 * service) × a corpus of 40+ hostile files (polyglots, active SVG/PDF, renamed executables, zip and
 * pixel-flood bombs, truncations, 0 bytes, limit + 1, traversal and bidi names) plus clean files
 * with location metadata. The checker reads the history and then the storage directory and the
 * database: malicious accepted 0, bytes of refused files left anywhere 0, files outside the
 * content-addressed layout 0, oversize answered 413 having read at most limit + 64 KiB (measured
 * on the api's own sockets), viewing copies as attachments with nosniff and no location.
 */
const ID = 'S3';
const SEED = deriveSeed(ID);
const LIMIT = 256 * 1024;
const READ_SLACK = 64 * 1024;
/**
 * Below the handler, Node's HTTP parser takes whole socket reads (up to 64 KiB) into the request
 * stream's buffer before backpressure stops it, so what it has read off the wire may exceed what the
 * handler consumed by about one more read. Past that, reading on is draining the body.
 */
const TRANSPORT_SLACK = 64 * 1024;
const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'video/mp4', 'application/pdf'];
const LAYOUT = /^(masters|derivatives)\/[0-9a-f-]{36}\/[0-9a-f]{2}\/([0-9a-f]{64})$/;
const BIDI_OR_CONTROL = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

interface StoredFile {
  path: string;
  sha256: string;
  bytes: number;
}

interface StorageState {
  files: StoredFile[];
  /** sha256 of every master and derivative the database knows */
  knownHashes: Set<string>;
  /** original names kept for accepted exhibits */
  storedNames: string[];
  /** names anywhere near the storage directory that a traversal would have made */
  strayNames: string[];
}

interface DownloadCheck {
  route: string;
  label: string;
  status: number;
  disposition: string;
  nosniff: boolean;
  locationLeft: boolean;
}

interface OversizeCase {
  route: string;
  mode: string;
  status: number;
  /** body bytes the server's handlers had consumed when it answered */
  consumedAtAnswer: number;
  /** body bytes its HTTP parser had read (consumed or buffered) when it answered, and by close */
  atAnswer: number;
  atClose: number;
  /** raw socket bytes (headers and chunk framing included) at the answer */
  socketAtAnswer: number;
  bytesSent: number;
}

export interface UploadCounts {
  uploads: number;
  hostileUploads: number;
  maliciousAccepted: number;
  cleanRefused: number;
  serverErrors: number;
  leftoverFiles: number;
  leftoverBytes: number;
  traversal: number;
  nameHazardsStored: number;
  oversizeNot413: number;
  oversizeOverRead: number;
  oversizeDrained: number;
  downloadsNotAttachment: number;
  downloadsWithoutNosniff: number;
  viewingCopiesWithLocation: number;
}

/** The checker, over the server's own answers (an upload is accepted when it was answered 2xx). */
export function checkUploads(
  history: HistoryEntry[],
  storage: StorageState,
  downloads: DownloadCheck[],
  oversize: OversizeCase[],
): UploadCounts {
  const accepted = (h: HistoryEntry) => h.outcome === 'ok';
  const uploads = history.filter((h) => h.kind.startsWith('upload'));
  const hostile = uploads.filter((h) => h.value?.fileKind === 'hostile');
  const refusedHashes = new Set(hostile.filter((h) => !accepted(h)).map((h) => String(h.value?.sha256)));
  const acceptedHashes = new Set(uploads.filter(accepted).map((h) => String(h.value?.sha256)));
  let leftoverFiles = 0;
  let leftoverBytes = 0;
  let traversal = 0;
  for (const f of storage.files) {
    const inLayout = LAYOUT.exec(f.path);
    const stray =
      !inLayout ||
      inLayout[2] !== f.sha256 ||
      (refusedHashes.has(f.sha256) && !acceptedHashes.has(f.sha256)) ||
      !storage.knownHashes.has(f.sha256);
    if (stray) {
      leftoverFiles += 1;
      leftoverBytes += f.bytes;
    }
    if (!inLayout && !f.path.startsWith('tmp/')) {
      traversal += 1;
    }
  }
  traversal += storage.strayNames.length;
  const oversizeSlack = LIMIT + READ_SLACK;
  return {
    uploads: uploads.length,
    hostileUploads: hostile.length,
    maliciousAccepted: hostile.filter(accepted).length,
    cleanRefused: uploads.filter((h) => h.value?.fileKind === 'clean' && !accepted(h)).length,
    serverErrors: uploads.filter((h) => !h.status || h.status >= 500).length,
    leftoverFiles,
    leftoverBytes,
    traversal,
    nameHazardsStored: storage.storedNames.filter(
      (n) => /[/\\]/.test(n) || n.includes('..') || BIDI_OR_CONTROL.test(n),
    ).length,
    oversizeNot413: oversize.filter((o) => o.status !== 413).length,
    oversizeOverRead: oversize.filter((o) => o.consumedAtAnswer < 0 || o.consumedAtAnswer > oversizeSlack)
      .length,
    oversizeDrained: oversize.filter((o) => o.atClose < 0 || o.atClose > oversizeSlack + TRANSPORT_SLACK)
      .length,
    downloadsNotAttachment: downloads.filter((d) => !/^attachment(;|$)/.test(d.disposition)).length,
    downloadsWithoutNosniff: downloads.filter((d) => !d.nosniff).length,
    viewingCopiesWithLocation: downloads.filter((d) => d.locationLeft).length,
  };
}

/** Location metadata a viewing copy must not carry. */
function hasLocation(b: Buffer): boolean {
  return ['GPS', 'Exif', 'tEXt', 'iTXt', 'zTXt', 'eXIf', '51.5072'].some((m) =>
    b.includes(Buffer.from(m, 'latin1')),
  );
}

describe('S3 hostile uploads on every upload route', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let tablet: string;
  let incidentId: string;
  let subjectId: string;
  let storage: string;
  let meter: ServerReadMeter;
  const started = new Date().toISOString();

  beforeAll(async () => {
    api = await startTestApi({ EVIDENCE_MAX_BYTES: String(LIMIT) });
    storage = resolve(api.db.config.storage.dir);
    p = await givenPartnership(api);
    tablet = (await givenTablet(api, p)).token;
    incidentId = (await postIncident(api, tablet)).body.id;
    subjectId = (await api.http.post('/api/v1/subjects', buildSubjectRequest(), p.tokens.coordinator)).body
      .id;
    meter = new ServerReadMeter(api.app.getHttpServer() as Server);
  });
  afterAll(async () => {
    meter?.stop();
    await api?.close();
    if (storage) {
      rmSync(storage, { recursive: true, force: true });
    }
  });

  const newNotice = async (): Promise<string> => {
    const r = await api.http.post(
      `/api/v1/subjects/${subjectId}/exclusion-notices`,
      {
        storeIds: [p.storeIds[0]],
        reason: 'Repeated theft from the store',
        servedAt: new Date(Date.now() - 3600_000).toISOString(),
        servedByName: 'Jo Manager',
        serviceMethod: 'in_person',
      },
      p.tokens.coordinator,
    );
    if (r.status !== 201) {
      throw new Error(`exclusion notice: ${r.status} ${r.text}`);
    }
    return r.body.id as string;
  };

  /** The three upload routes, each as (path, token, headers) for a file. */
  const routes: {
    name: string;
    method: string;
    target: (hash: string) => Promise<string>;
    token: () => string;
    headers: (f: { name: string; hash: string }) => Record<string, string>;
  }[] = [
    {
      name: 'PUT /incidents/{id}/evidence/{sha256}',
      method: 'PUT',
      target: async (hash) => `/api/v1/incidents/${incidentId}/evidence/${hash}`,
      token: () => tablet,
      headers: (f) => ({
        'x-evidence-producer': encodeURIComponent('Jo Smith'),
        'x-evidence-filename': encodeURIComponent(f.name),
      }),
    },
    {
      name: 'POST /subjects/{id}/images',
      method: 'POST',
      target: async () => `/api/v1/subjects/${subjectId}/images`,
      token: () => p.tokens.coordinator,
      headers: (f) => ({ 'x-content-sha256': f.hash }),
    },
    {
      name: 'POST /exclusion-notices/{id}/proof',
      method: 'POST',
      // a fresh notice per file: a notice holds one proof, so an accepted file would mask the rest
      target: async () => `/api/v1/exclusion-notices/${await newNotice()}/proof`,
      token: () => p.tokens.coordinator,
      headers: (f) => ({ 'x-content-sha256': f.hash }),
    },
  ];

  it('accepts no malicious file, leaves no bytes, stores only generated names, stops oversize early', async () => {
    const corpus: CorpusFile[] = buildCorpus(LIMIT);
    const history = new History(ID);
    const viewable: { route: string; label: string; path: string; file: CorpusFile }[] = [];

    // the three routes at once, each sending its corpus in order
    await Promise.all(
      routes.map(async (route) => {
        for (const file of corpus) {
          const hash = sha256(file.body);
          const probe = randomUUID();
          const path = await route.target(hash);
          const r = await history.run(
            { op: probe, client: route.name, kind: `upload ${file.label}` },
            () =>
              secRequest(api.http.baseUrl, route.method, path, {
                token: route.token(),
                raw: file.body,
                headers: {
                  'content-type': 'application/octet-stream',
                  'x-probe-id': probe,
                  ...route.headers({ name: file.name, hash }),
                  ...(file.headers ?? {}),
                },
              }),
            (res) => ({
              route: route.name,
              label: file.label,
              fileKind: file.kind,
              claimedType: file.claimedType,
              sha256: hash,
              bytes: file.body.length,
              mediaType: res.body?.mediaType,
              code: res.body?.code,
              id: res.body?.id,
            }),
          );
          if (r && r.status >= 200 && r.status < 300 && file.kind === 'clean' && file.location) {
            const view = route.name.startsWith('PUT')
              ? `/api/v1/incidents/${incidentId}/evidence/${r.body.id}/view`
              : route.name.includes('images')
                ? `/api/v1/subject-images/${r.body.id}/view`
                : null;
            if (view) {
              viewable.push({ route: route.name, label: file.label, path: view, file });
            }
          }
        }
      }),
    );

    // oversize: limit + 1 declared is in the corpus; here streamed without a length, and a 1 GiB
    // declared length while streaming. Each is measured on the server's own socket.
    const oversize: OversizeCase[] = [];
    for (const route of routes) {
      for (const mode of ['chunked 4 MiB, no length', 'declared 1 GiB, streaming'] as const) {
        const probe = randomUUID();
        const hash = sha256(randomUUID());
        const path = await route.target(hash);
        const res = await streamUpload(api.http.baseUrl, route.method, path, {
          token: route.token(),
          headers: {
            'content-type': 'application/octet-stream',
            'x-probe-id': probe,
            ...route.headers({ name: 'big.jpg', hash }),
          },
          total: 4 * 1024 * 1024,
          declaredLength: mode.startsWith('declared') ? 1024 * 1024 * 1024 : undefined,
          prefix: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
        });
        await new Promise((r) => setTimeout(r, 50));
        const reads = meter.reads.get(probe);
        oversize.push({
          route: route.name,
          mode,
          status: res.status,
          consumedAtAnswer: reads?.consumedAtAnswer ?? -1,
          atAnswer: reads?.bodyAtAnswer ?? -1,
          atClose: reads?.bodyAtClose ?? -1,
          socketAtAnswer: reads?.socketAtAnswer ?? -1,
          bytesSent: res.bytesSent,
        });
      }
    }
    // limit + 1 (declared, whole body sent) from the corpus runs, by probe id
    for (const h of readHistory(history.file).filter(
      (e) => e.value?.label === 'limit + 1 bytes (an otherwise good JPEG)',
    )) {
      const reads = meter.reads.get(h.op);
      oversize.push({
        route: String(h.value?.route),
        mode: 'limit + 1, declared',
        status: h.status ?? 0,
        consumedAtAnswer: reads?.consumedAtAnswer ?? -1,
        atAnswer: reads?.bodyAtAnswer ?? -1,
        atClose: reads?.bodyAtClose ?? -1,
        socketAtAnswer: reads?.socketAtAnswer ?? -1,
        bytesSent: LIMIT + 1,
      });
    }

    // downloads of the viewing copies
    const downloads: DownloadCheck[] = [];
    for (const v of viewable) {
      const res = await fetch(`${api.http.baseUrl}${v.path}`, {
        headers: { authorization: `Bearer ${p.tokens.coordinator}` },
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      downloads.push({
        route: v.route,
        label: v.label,
        status: res.status,
        disposition: res.headers.get('content-disposition') ?? '',
        nosniff: res.headers.get('x-content-type-options') === 'nosniff',
        locationLeft: res.status !== 200 || hasLocation(bytes),
      });
    }

    // the storage directory and the database, read once the api is quiet
    const files: StoredFile[] = filesUnder(storage).map((path) => {
      const data = readFileSync(join(storage, path));
      return { path, sha256: sha256(data), bytes: data.length };
    });
    const known = await api.db.owner.query(
      `SELECT sha256 FROM evidence_masters UNION SELECT sha256 FROM evidence_derivatives`,
    );
    const names = await api.db.owner.query(
      `SELECT original_name FROM exhibits WHERE original_name IS NOT NULL`,
    );
    const parent = resolve(storage, '..');
    const strayNames = filesUnder(parent).filter(
      (f) => /passwd|evil|system32/i.test(f) || BIDI_OR_CONTROL.test(f),
    );
    const state: StorageState = {
      files,
      knownHashes: new Set(known.map((r: { sha256: string }) => r.sha256)),
      storedNames: names.map((r: { original_name: string }) => r.original_name),
      strayNames,
    };

    const entries = readHistory(history.file);
    const counts = checkUploads(entries, state, downloads, oversize);

    // negative control: MIME fallback on. This api built to take the type from the declared file
    // name when the bytes do not pass (TEST_DEFECTS=mime-fallback) is sent the hostile files whose
    // name claims an accepted type, on the route that carries a name; the same checker counts.
    const withFallback = await startApiOn(
      testConfig(api.db.name, { TEST_DEFECTS: 'mime-fallback', EVIDENCE_MAX_BYTES: String(LIMIT) }),
      api.db.owner,
      api.db.name,
    );
    const fallbackHistory = new History(`${ID}-control-mime-fallback`);
    try {
      const claiming = corpus.filter(
        (f) => f.kind === 'hostile' && f.claimedType && ACCEPTED_TYPES.includes(f.claimedType),
      );
      for (const file of claiming) {
        const hash = sha256(file.body);
        await fallbackHistory.run(
          { op: randomUUID(), client: routes[0].name, kind: `upload ${file.label}` },
          () =>
            secRequest(withFallback.http.baseUrl, 'PUT', `/api/v1/incidents/${incidentId}/evidence/${hash}`, {
              token: tablet,
              raw: file.body,
              headers: {
                'content-type': 'application/octet-stream',
                ...routes[0].headers({ name: file.name, hash }),
                ...(file.headers ?? {}),
              },
            }),
          (res) => ({
            route: routes[0].name,
            label: file.label,
            fileKind: file.kind,
            sha256: hash,
            code: res.body?.code,
          }),
        );
      }
    } finally {
      await withFallback.close();
    }
    const fallback = checkUploads(
      readHistory(fallbackHistory.file),
      { files: [], knownHashes: new Set(), storedNames: [], strayNames: [] },
      [],
      [],
    );
    // and a second control on the storage oracle: one refused file's bytes left in tmp/
    const refused = entries.find(
      (h) => h.value?.fileKind === 'hostile' && h.outcome !== 'ok' && Number(h.value?.bytes) > 0,
    );
    const leaky = checkUploads(
      entries,
      {
        ...state,
        files: [
          ...state.files,
          {
            path: `tmp/${randomUUID()}`,
            sha256: String(refused?.value?.sha256),
            bytes: Number(refused?.value?.bytes),
          },
        ],
      },
      downloads,
      oversize,
    );
    // and on the oversize oracle: the server as it was, reading the whole body before answering
    const draining = checkUploads(
      entries,
      state,
      downloads,
      oversize.map((o) => ({ ...o, atClose: Math.max(o.atClose, o.bytesSent) })),
    );
    const controls: NegativeControl[] = [
      {
        variant:
          'MIME fallback on (TEST_DEFECTS=mime-fallback): type from the declared file name when the magic bytes fail',
        counts: { hostileUploads: fallback.hostileUploads, maliciousAccepted: fallback.maliciousAccepted },
        caught: fallback.maliciousAccepted > 0,
      },
      {
        variant: 'an oversize upload drained to its end before the 413 (every byte the client sent read)',
        counts: { oversizeDrained: draining.oversizeDrained },
        caught: draining.oversizeDrained > counts.oversizeDrained,
      },
      {
        variant: 'a refused upload whose temporary file was not removed',
        counts: { leftoverFiles: leaky.leftoverFiles, leftoverBytes: leaky.leftoverBytes },
        caught: leaky.leftoverBytes > counts.leftoverBytes,
      },
    ];

    const corpusSize = corpus.filter((f) => f.kind !== 'clean').length;
    const failures = {
      maliciousAccepted: counts.maliciousAccepted,
      cleanRefused: counts.cleanRefused,
      serverErrors: counts.serverErrors,
      leftoverBytes: counts.leftoverBytes,
      traversal: counts.traversal,
      nameHazardsStored: counts.nameHazardsStored,
      oversizeNot413: counts.oversizeNot413,
      oversizeOverRead: counts.oversizeOverRead,
      oversizeDrained: counts.oversizeDrained,
      downloadsNotAttachment: counts.downloadsNotAttachment,
      downloadsWithoutNosniff: counts.downloadsWithoutNosniff,
      viewingCopiesWithLocation: counts.viewingCopiesWithLocation,
    };
    const accepted = entries.filter((h) => h.value?.fileKind === 'hostile' && h.outcome === 'ok');
    const passed =
      Object.values(failures).every((n) => n === 0) &&
      corpusSize >= 40 &&
      downloads.length >= 4 &&
      controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'Hostile uploads × every upload route (polyglots, bombs, truncations, oversize, traversal names, EXIF GPS)',
      seed: SEED,
      counts: {
        ...counts,
        routes: routes.length,
        corpusFiles: corpusSize,
        downloadsChecked: downloads.length,
        maxConsumedAtAnswerOverLimit: Math.max(...oversize.map((o) => o.consumedAtAnswer - LIMIT)),
        maxParsedAtAnswerOverLimit: Math.max(...oversize.map((o) => o.atAnswer - LIMIT)),
        maxParsedAtCloseOverLimit: Math.max(...oversize.map((o) => o.atClose - LIMIT)),
      },
      passFigure:
        'malicious accepted 0; leftover bytes from rejected files 0; traversal 0; oversize 413 having consumed ≤ limit + 64 KiB (and read off the wire ≤ limit + 128 KiB by close: no draining); downloads attachment + nosniff, no GPS',
      passed,
      negativeControls: controls,
      config: {
        limitBytes: LIMIT,
        readSlackBytes: READ_SLACK,
        transportSlackBytes: TRANSPORT_SLACK,
        routes: routes.map((r) => r.name),
      },
      historyFile: history.file,
      notes: [
        ...accepted.map(
          (h) => `MALICIOUS ACCEPTED on ${String(h.value?.route)}: ${String(h.value?.label)} (${h.status})`,
        ),
        ...oversize.map(
          (o) =>
            `oversize ${o.route} ${o.mode}: ${o.status}; by the answer the handler had consumed ${o.consumedAtAnswer} body bytes, the parser read ${o.atAnswer} (${o.socketAtAnswer} at the socket with headers and framing); ${o.atClose} by close; the client sent ${o.bytesSent}`,
        ),
        'Exclusion-notice proofs have no viewing route (only evidence and subject images are viewed), so downloads are checked on those two.',
      ],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect({ corpusSize, downloads: downloads.length }).toEqual({
      corpusSize: expect.any(Number),
      downloads: expect.any(Number),
    });
    expect(corpusSize).toBeGreaterThanOrEqual(40);
    expect(downloads.length).toBeGreaterThanOrEqual(4);
    expect(accepted.map((h) => `${String(h.value?.route)}: ${String(h.value?.label)}`)).toEqual([]);
    expect(failures).toEqual(Object.fromEntries(Object.keys(failures).map((k) => [k, 0])));
  });
});
