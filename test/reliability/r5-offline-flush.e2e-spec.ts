import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import {
  buildIncidentRequest,
  buildJpeg,
  givenPartnership,
  type GivenPartnership,
  givenTablet,
  sha256,
  startTestApi,
  type TestApi,
  testConfig,
} from '@app/testing';
import { bodyHash, checkReports, checkStatements, readReportState, readStatementRows } from '../lib/checker';
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
import { startApiOn } from '../lib/stack';

/**
 * R5: offline tablets flush their queues at once through the fault proxy (10% of connections reset
 * after the request body, i.e. after commit; the rest delayed with jitter). Each queued report
 * carries the Idempotency-Key made with its draft, a still and a witness statement with a key of
 * its own. The checker then reads the history file and the database: every report, still and
 * statement exactly once, replays byte-identical, same key + other body 422, concurrent same key
 * never two rows, another partnership's identical key fresh. Negative controls run the same steps
 * against the api built with a defect (TEST_DEFECTS): the fingerprint check off, the statement's
 * key ignored.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'R5';
const SEED = deriveSeed(ID);
const TABLETS = scale(4, 20);
const QUEUED = scale(8, 50);
const JITTER = scale(40, 150);
const BASE_DELAY = scale(50, 200);

type Sent = { status: number; text: string; body: any };
type Tablet = { deviceId: string; token: string };
type Kind = 'create-report' | 'create-statement';

/** One queued POST as the tablet keeps it: key, body and where it goes. */
interface Queued {
  kind: Kind;
  key: string;
  client: string;
  token: string;
  path: string;
  body: Record<string, unknown>;
  /** another body under the same key (must be 422) */
  otherBody: Record<string, unknown>;
}

function statementBody(text: string): Record<string, unknown> {
  return {
    witnessName: 'Sam Jones',
    witnessOccupation: 'Store assistant',
    statementText: text,
    pageCount: 1,
    declarationAcknowledged: true,
    signatureName: 'Sam Jones',
  };
}

function faults(seed: number): () => Fault {
  const random = rng(seed);
  return () => {
    const r = random();
    if (r < 0.1) {
      return { kind: 'reset-after-body', delayMs: Math.round(random() * JITTER) };
    }
    return { kind: 'delay', ms: Math.max(0, Math.round(BASE_DELAY + (random() * 2 - 1) * JITTER)) };
  };
}

/** POSTs until an answer that is not 5xx or 409 (a reset counts as no answer), as the outbox does. */
async function withRetries(
  history: History,
  q: { client: string; key: string; kind: string },
  send: () => Promise<Sent>,
) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const r = await history.run(
      { op: randomUUID(), client: q.client, key: q.key, kind: q.kind },
      send,
      (res) => ({
        id: res.body?.id,
        bodyHash: bodyHash(res.text),
        attempt,
      }),
    );
    if (r && r.status < 500 && r.status !== 409) {
      return r;
    }
    await new Promise((res) => setTimeout(res, 20 + Math.round(Math.random() * 40 * (attempt + 1))));
  }
  return undefined;
}

const post = (base: string, q: Queued, body = q.body) =>
  rawRequest(base, 'POST', q.path, { token: q.token, body, headers: { 'idempotency-key': q.key } });

/**
 * One tablet's queue through `via`: per item the report, then (with its id) a still and a witness
 * statement. Every POST made is added to `queued`.
 */
async function flushTablet(
  via: string,
  history: History,
  tablet: Tablet,
  t: number,
  n: number,
  queued: Queued[],
) {
  const client = `tablet-${t}`;
  for (let i = 0; i < n; i++) {
    const key = randomUUID();
    const body = buildIncidentRequest({ narrative: `Queued offline report ${t}/${i} ref:${key}` });
    const report: Queued = {
      kind: 'create-report',
      key,
      client,
      token: tablet.token,
      path: '/api/v1/incidents',
      body,
      otherBody: { ...body, narrative: 'a different report under the same key' },
    };
    queued.push(report);
    const created = await withRetries(history, report, () => post(via, report));
    if (created?.status !== 201) {
      continue;
    }
    const still = buildJpeg({ seed: t * 1000 + i + 1, size: 1024 });
    await withRetries(history, { client, key, kind: 'upload-still' }, () =>
      rawRequest(via, 'PUT', `/api/v1/incidents/${created.body.id}/evidence/${sha256(still)}`, {
        token: tablet.token,
        raw: still,
        headers: {
          'content-type': 'application/octet-stream',
          'x-evidence-producer': encodeURIComponent(`Till ${t}`),
          'x-evidence-filename': 'still.jpg',
        },
      }),
    );
    const statementKey = randomUUID();
    const text = `At about 14:00 I saw report ${t}/${i} happen. ref:${statementKey}`;
    const statement: Queued = {
      kind: 'create-statement',
      key: statementKey,
      client,
      token: tablet.token,
      path: `/api/v1/incidents/${created.body.id}/statements`,
      body: statementBody(text),
      otherBody: statementBody(`${text} And something else.`),
    };
    queued.push(statement);
    await withRetries(history, statement, () => post(via, statement));
  }
}

/** The first acknowledged answer per key, from the history file. */
function firstAcked(entries: HistoryEntry[]): Map<string, { id: string; kind: string }> {
  const out = new Map<string, { id: string; kind: string }>();
  for (const h of entries) {
    if (
      (h.kind === 'create-report' || h.kind === 'create-statement') &&
      h.outcome === 'ok' &&
      h.key &&
      !out.has(h.key)
    ) {
      out.set(h.key, { id: String(h.value?.id), kind: h.kind });
    }
  }
  return out;
}

/** Every acknowledged POST sent again, unchanged, straight to `base`: must replay byte for byte. */
async function replayAcknowledged(base: string, history: History, queued: Queued[]) {
  const acked = firstAcked(readHistory(history.file));
  for (const q of queued.filter((x) => acked.has(x.key))) {
    await history.run(
      { op: randomUUID(), client: q.client, key: q.key, kind: q.kind },
      () => post(base, q),
      (res) => ({
        id: res.body?.id,
        bodyHash: bodyHash(res.text),
        replay: true,
      }),
    );
  }
}

/** Same key, another body, straight to `base`: must be 422. */
async function sendOtherBodies(base: string, history: History, sample: Queued[]) {
  for (const q of sample) {
    await history.run(
      { op: randomUUID(), client: q.client, key: q.key, kind: 'other-body' },
      () => post(base, q, q.otherBody),
      () => ({ of: q.kind }),
    );
  }
}

const otherBodyNot422 = (entries: HistoryEntry[]) =>
  entries.filter((e) => e.kind === 'other-body' && e.status !== 422).length;

describe('R5 offline tablets flush through a fault proxy', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let foreign: GivenPartnership;
  let proxy: FaultProxy;
  const started = new Date().toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    foreign = await givenPartnership(api);
    const target = new URL(api.http.baseUrl);
    proxy = new FaultProxy({ host: '127.0.0.1', port: Number(target.port) }, faults(SEED));
    await proxy.start();
  });
  afterAll(async () => {
    await proxy.close();
    const storage = api.db.config.storage.dir;
    await api.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('delivers every queued report, still and statement exactly once, with byte-identical replays', async () => {
    const history = new History(ID);
    const tablets = await Promise.all(Array.from({ length: TABLETS }, () => givenTablet(api, p)));
    const queued: Queued[] = [];
    await Promise.all(tablets.map((tablet, t) => flushTablet(proxy.url, history, tablet, t, QUEUED, queued)));

    // fidelity checks straight to the api (no faults): replay, other body, other tenant, concurrency
    await replayAcknowledged(api.http.baseUrl, history, queued);
    const acked = firstAcked(readHistory(history.file));
    const sampleOf = (kind: Kind) =>
      queued.filter((q) => q.kind === kind && acked.has(q.key)).slice(0, scale(10, 100));
    const sample = [...sampleOf('create-report'), ...sampleOf('create-statement')];
    await sendOtherBodies(api.http.baseUrl, history, sample);
    for (const q of sample.filter((x) => x.kind === 'create-report')) {
      await history.run(
        { op: randomUUID(), client: 'foreign-tablet', key: q.key, kind: 'foreign-same-key' },
        () => post(api.http.baseUrl, { ...q, token: foreign.tokens.shopworker }),
        (res) => ({ id: res.body?.id }),
      );
    }
    const racing = scale(5, 50);
    const reportIds = [...acked.values()].filter((a) => a.kind === 'create-report').map((a) => a.id);
    for (let i = 0; i < racing; i++) {
      const t = tablets[i % tablets.length];
      const key = randomUUID();
      const statementKey = randomUUID();
      const races: Queued[] = [
        {
          kind: 'create-report',
          key,
          client: `race-${i}`,
          token: t.token,
          path: '/api/v1/incidents',
          body: buildIncidentRequest({ narrative: `Raced report ${i} ref:${key}` }),
          otherBody: {},
        },
        {
          kind: 'create-statement',
          key: statementKey,
          client: `race-${i}`,
          token: p.tokens.coordinator,
          path: `/api/v1/incidents/${reportIds[i % reportIds.length]}/statements`,
          body: statementBody(`Raced statement ${i} ref:${statementKey}`),
          otherBody: {},
        },
      ];
      for (const q of races) {
        await Promise.all(
          [0, 1].map(() =>
            history.run(
              { op: randomUUID(), client: q.client, key: q.key, kind: q.kind },
              () => post(api.http.baseUrl, q),
              (res) => ({
                id: res.body?.id,
                bodyHash: res.status === 201 ? bodyHash(res.text) : undefined,
                race: true,
              }),
            ),
          ),
        );
      }
    }

    // the checker: history from disk, state from the database
    const entries = readHistory(history.file);
    const query = (sql: string, params?: unknown[]) => api.db.owner.query(sql, params);
    const state = await readReportState(query, p.partnershipId);
    const statementRows = await readStatementRows(query, p.partnershipId);
    const counts = checkReports(entries, { ...state, rollupCells: [], unpublishedOutbox: 0 });
    const statementCounts = checkStatements(entries, statementRows);
    const exhibits: { incident_id: string; n: number }[] = await query(
      `SELECT incident_id, count(*)::int AS n FROM exhibits WHERE partnership_id = $1 GROUP BY 1`,
      [p.partnershipId],
    );
    const queuedTotal = TABLETS * QUEUED;
    const queuedKeys = (kind: Kind) => new Set(queued.filter((q) => q.kind === kind).map((q) => q.key));
    const reportKeys = queuedKeys('create-report');
    const statementKeys = queuedKeys('create-statement');
    const foreignOps = entries.filter((e) => e.kind === 'foreign-same-key');
    const ownIds = new Set(state.reports.map((r) => r.id));
    const raceStatuses = entries.filter((e) => e.value?.race).map((e) => e.status);
    const figures = {
      ...counts,
      ...statementCounts,
      queuedReports: queuedTotal,
      queuedReportsStored: state.reports.filter((r) => r.key && reportKeys.has(r.key)).length,
      stillsStored: exhibits.filter((e) =>
        state.reports.some((r) => r.id === e.incident_id && r.key && reportKeys.has(r.key)),
      ).length,
      duplicateStills: exhibits.reduce((s, e) => s + (e.n - 1), 0),
      queuedStatements: queuedTotal,
      queuedStatementsStored: statementRows.filter((r) => r.key && statementKeys.has(r.key)).length,
      unackedAfterRetries: queued.filter((q) => !acked.has(q.key)).length,
      otherBodyNot422: otherBodyNot422(entries),
      statementOtherBodies: entries.filter(
        (e) => e.kind === 'other-body' && e.value?.of === 'create-statement',
      ).length,
      crossTenantReplays: foreignOps.filter((e) => e.status !== 201 || ownIds.has(String(e.value?.id)))
        .length,
      raceBadStatus: raceStatuses.filter((s) => s !== 201 && s !== 409).length,
      proxyResets: proxy.stats.byKind['reset-after-body'],
      proxyConnections: proxy.stats.connections,
      attempts: entries.filter((e) => e.kind === 'create-report' || e.kind === 'create-statement').length,
    };
    const violations = (c: typeof figures) =>
      c.lost +
      c.duplicateReports +
      c.replayMismatch +
      c.keyForkedIds +
      c.duplicateStills +
      c.statementsLost +
      c.duplicateStatements +
      c.statementReplayMismatch +
      c.statementKeyForkedIds +
      c.otherBodyNot422 +
      c.crossTenantReplays +
      c.raceBadStatus +
      c.unackedAfterRetries +
      (c.queuedReportsStored !== c.queuedReports ? 1 : 0) +
      (c.stillsStored !== c.queuedReports ? 1 : 0) +
      (c.queuedStatementsStored !== c.queuedStatements ? 1 : 0);

    // negative controls: the same steps against this api built with a defect, judged by the same
    // checker from its own history file and the database
    const controls: NegativeControl[] = [];
    const withDefect = async (defect: string, run: (base: string, h: History) => Promise<void>) => {
      const broken = await startApiOn(
        testConfig(api.db.name, { TEST_DEFECTS: defect }),
        api.db.owner,
        api.db.name,
      );
      const h = new History(`${ID}-control-${defect}`);
      try {
        await run(broken.http.baseUrl, h);
      } finally {
        await broken.close();
      }
      return readHistory(h.file);
    };
    // (1) the fingerprint check off: the other-body step again, on reports and statements
    const noFingerprint = await withDefect('idempotency-fingerprint-off', (base, h) =>
      sendOtherBodies(base, h, sample),
    );
    controls.push({
      variant: 'TEST_DEFECTS=idempotency-fingerprint-off: same key + other body replays the first answer',
      counts: { otherBodyNot422: otherBodyNot422(noFingerprint) },
      caught: otherBodyNot422(noFingerprint) > 0,
    });
    // (2) the statement's key ignored: a tablet's flush through the fault proxy, then the replays
    const keyIgnored = await withDefect('statement-key-ignored', async (base, h) => {
      const controlProxy = new FaultProxy(
        { host: '127.0.0.1', port: Number(new URL(base).port) },
        faults(SEED + 1),
      );
      await controlProxy.start();
      try {
        const mine: Queued[] = [];
        await flushTablet(controlProxy.url, h, tablets[0], 0, scale(3, 10), mine);
        await replayAcknowledged(base, h, mine);
      } finally {
        await controlProxy.close();
      }
    });
    const keyIgnoredCounts = checkStatements(keyIgnored, await readStatementRows(query, p.partnershipId));
    controls.push({
      variant: 'TEST_DEFECTS=statement-key-ignored: the statement POST claims a fresh key per request',
      counts: { duplicateStatements: keyIgnoredCounts.duplicateStatements },
      caught: keyIgnoredCounts.duplicateStatements > 0,
    });
    // (3) one acknowledged report deleted before the check (a raced one: no still, no statement)
    const victim = entries.find((e) => e.kind === 'create-report' && e.outcome === 'ok' && e.value?.race)!;
    // insert-only grants bind the app role; the owner may delete (the broken variant)
    await query(`DELETE FROM incidents WHERE id = $1`, [victim.value?.id]);
    const broken = checkReports(entries, {
      ...(await readReportState(query, p.partnershipId)),
      rollupCells: [],
      unpublishedOutbox: 0,
    });
    controls.push({
      variant: 'one acknowledged report deleted before the check',
      counts: { lost: broken.lost },
      caught: broken.lost === 1,
    });

    const passed = violations(figures) === 0 && controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title:
        'Offline tablets flush reports and statements through the fault proxy (reset after body, jitter)',
      seed: SEED,
      counts: figures,
      passFigure:
        '0 lost, 0 duplicated (reports, stills, statements), 100% replay fidelity, 0 cross-tenant replays',
      passed,
      negativeControls: controls,
      config: {
        tablets: TABLETS,
        queuedPerTablet: QUEUED,
        resetShare: 0.1,
        delayMs: `${BASE_DELAY} ± ${JITTER}`,
      },
      historyFile: history.file,
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(figures).toMatchObject({
      lost: 0,
      duplicateReports: 0,
      replayMismatch: 0,
      keyForkedIds: 0,
      duplicateStills: 0,
      statementsLost: 0,
      duplicateStatements: 0,
      statementReplayMismatch: 0,
      statementKeyForkedIds: 0,
      otherBodyNot422: 0,
      crossTenantReplays: 0,
      raceBadStatus: 0,
      unackedAfterRetries: 0,
      queuedReportsStored: queuedTotal,
      stillsStored: queuedTotal,
      queuedStatementsStored: queuedTotal,
    });
    expect(figures.statementOtherBodies).toBeGreaterThan(0);
  });
});
