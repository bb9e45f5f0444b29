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
} from '@app/testing';
import { bodyHash, checkReports, readReportState } from '../lib/checker';
import { FaultProxy } from '../lib/fault-proxy';
import { readHistory } from '../lib/history-reader';
import {
  deriveSeed,
  History,
  type NegativeControl,
  recordResult,
  rng,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { rawRequest } from '../lib/raw-http';

/**
 * R5: offline tablets flush their queues at once through the fault proxy (10% of connections reset
 * after the request body, i.e. after commit; the rest delayed with jitter). Each queued report
 * carries the Idempotency-Key made with its draft and a still. The checker then reads the history
 * file and the database: every report and still exactly once, replays byte-identical, same key +
 * other body 422, concurrent same key never two rows, another partnership's identical key fresh.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'R5';
const SEED = deriveSeed(ID);
const TABLETS = scale(4, 20);
const QUEUED = scale(8, 50);
const JITTER = scale(40, 150);
const BASE_DELAY = scale(50, 200);

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
    const random = rng(SEED);
    const target = new URL(api.http.baseUrl);
    proxy = new FaultProxy({ host: '127.0.0.1', port: Number(target.port) }, () => {
      const r = random();
      if (r < 0.1) {
        return { kind: 'reset-after-body', delayMs: Math.round(random() * JITTER) };
      }
      return { kind: 'delay', ms: Math.max(0, Math.round(BASE_DELAY + (random() * 2 - 1) * JITTER)) };
    });
    await proxy.start();
  });
  afterAll(async () => {
    await proxy.close();
    const storage = api.db.config.storage.dir;
    await api.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('delivers every queued report and still exactly once, with byte-identical replays', async () => {
    const history = new History(ID);
    const tablets = await Promise.all(Array.from({ length: TABLETS }, () => givenTablet(api, p)));
    const bodies = new Map<string, Record<string, unknown>>();

    async function withRetries(
      client: string,
      key: string,
      kind: string,
      send: () => Promise<{ status: number; text: string; body: any }>,
    ) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const r = await history.run({ op: randomUUID(), client, key, kind }, send, (res) => ({
          id: res.body?.id,
          bodyHash: bodyHash(res.text),
          attempt,
        }));
        if (r && r.status < 500 && r.status !== 409) {
          return r;
        }
        await new Promise((res) => setTimeout(res, 20 + Math.round(Math.random() * 40 * (attempt + 1))));
      }
      return undefined;
    }

    await Promise.all(
      tablets.map(async (tablet, t) => {
        for (let i = 0; i < QUEUED; i++) {
          const key = randomUUID();
          const body = buildIncidentRequest({ narrative: `Queued offline report ${t}/${i} ref:${key}` });
          bodies.set(key, body);
          const created = await withRetries(`tablet-${t}`, key, 'create-report', () =>
            rawRequest(proxy.url, 'POST', '/api/v1/incidents', {
              token: tablet.token,
              body,
              headers: { 'idempotency-key': key },
            }),
          );
          if (created?.status !== 201) {
            continue;
          }
          const still = buildJpeg({ seed: t * 1000 + i + 1, size: 1024 });
          await withRetries(`tablet-${t}`, key, 'upload-still', () =>
            rawRequest(proxy.url, 'PUT', `/api/v1/incidents/${created.body.id}/evidence/${sha256(still)}`, {
              token: tablet.token,
              raw: still,
              headers: {
                'content-type': 'application/octet-stream',
                'x-evidence-producer': encodeURIComponent(`Till ${t}`),
                'x-evidence-filename': 'still.jpg',
              },
            }),
          );
        }
      }),
    );

    // fidelity checks straight to the api (no faults): replay, other body, concurrency, other tenant
    const firstOk = new Map<string, { text: string; id: string }>();
    const tabletOf = new Map<string, string>();
    for (const h of readHistory(history.file)) {
      if (h.kind === 'create-report' && h.outcome === 'ok' && h.key && !firstOk.has(h.key)) {
        firstOk.set(h.key, { text: String(h.value?.bodyHash), id: String(h.value?.id) });
        tabletOf.set(h.key, h.client);
      }
    }
    const tokenOf = (client: string) => tablets[Number(client.split('-')[1])].token;
    for (const [key] of firstOk) {
      await history.run(
        { op: randomUUID(), client: tabletOf.get(key)!, key, kind: 'create-report' },
        () =>
          rawRequest(api.http.baseUrl, 'POST', '/api/v1/incidents', {
            token: tokenOf(tabletOf.get(key)!),
            body: bodies.get(key),
            headers: { 'idempotency-key': key },
          }),
        (res) => ({ id: res.body?.id, bodyHash: bodyHash(res.text), replay: true }),
      );
    }
    const sample = [...firstOk.keys()].slice(0, scale(10, 100));
    for (const key of sample) {
      await history.run({ op: randomUUID(), client: tabletOf.get(key)!, key, kind: 'other-body' }, () =>
        rawRequest(api.http.baseUrl, 'POST', '/api/v1/incidents', {
          token: tokenOf(tabletOf.get(key)!),
          body: { ...bodies.get(key), narrative: 'a different report under the same key' },
          headers: { 'idempotency-key': key },
        }),
      );
      await history.run(
        { op: randomUUID(), client: 'foreign-tablet', key, kind: 'foreign-same-key' },
        () =>
          rawRequest(api.http.baseUrl, 'POST', '/api/v1/incidents', {
            token: foreign.tokens.shopworker,
            body: bodies.get(key),
            headers: { 'idempotency-key': key },
          }),
        (res) => ({ id: res.body?.id }),
      );
    }
    const racing = scale(5, 50);
    for (let i = 0; i < racing; i++) {
      const key = randomUUID();
      const body = buildIncidentRequest({ narrative: `Raced report ${i} ref:${key}` });
      const t = tablets[i % tablets.length];
      await Promise.all(
        [0, 1].map(() =>
          history.run(
            { op: randomUUID(), client: `race-${i}`, key, kind: 'create-report' },
            () =>
              rawRequest(api.http.baseUrl, 'POST', '/api/v1/incidents', {
                token: t.token,
                body,
                headers: { 'idempotency-key': key },
              }),
            (res) => ({
              id: res.body?.id,
              bodyHash: res.status === 201 ? bodyHash(res.text) : undefined,
              race: true,
            }),
          ),
        ),
      );
    }

    // the checker: history from disk, state from the database
    const entries = readHistory(history.file);
    const query = (sql: string, params?: unknown[]) => api.db.owner.query(sql, params);
    const state = await readReportState(query, p.partnershipId);
    const counts = checkReports(entries, { ...state, rollupCells: [], unpublishedOutbox: 0 });
    const exhibits: { incident_id: string; n: number }[] = await query(
      `SELECT incident_id, count(*)::int AS n FROM exhibits WHERE partnership_id = $1 GROUP BY 1`,
      [p.partnershipId],
    );
    const queuedTotal = TABLETS * QUEUED;
    const otherBody = entries.filter((e) => e.kind === 'other-body');
    const foreignOps = entries.filter((e) => e.kind === 'foreign-same-key');
    const ownIds = new Set(state.reports.map((r) => r.id));
    const raceStatuses = entries.filter((e) => e.value?.race).map((e) => e.status);
    const figures = {
      ...counts,
      queuedReports: queuedTotal,
      queuedReportsStored: state.reports.filter((r) => r.key && bodies.has(r.key)).length,
      stillsStored: exhibits.filter((e) =>
        state.reports.some((r) => r.id === e.incident_id && r.key && bodies.has(r.key)),
      ).length,
      duplicateStills: exhibits.reduce((s, e) => s + (e.n - 1), 0),
      unackedAfterRetries: [...bodies.keys()].filter((k) => !firstOk.has(k)).length,
      otherBodyNot422: otherBody.filter((e) => e.status !== 422).length,
      crossTenantReplays: foreignOps.filter((e) => e.status !== 201 || ownIds.has(String(e.value?.id)))
        .length,
      raceBadStatus: raceStatuses.filter((s) => s !== 201 && s !== 409).length,
      proxyResets: proxy.stats.byKind['reset-after-body'],
      proxyConnections: proxy.stats.connections,
      attempts: entries.filter((e) => e.kind === 'create-report').length,
    };
    const violations = (c: typeof figures) =>
      c.lost +
      c.duplicateReports +
      c.replayMismatch +
      c.keyForkedIds +
      c.duplicateStills +
      c.otherBodyNot422 +
      c.crossTenantReplays +
      c.raceBadStatus +
      c.unackedAfterRetries +
      (c.queuedReportsStored - c.queuedReports !== 0 ? 1 : 0) +
      (c.stillsStored - c.queuedReports !== 0 ? 1 : 0);

    // negative controls: (1) the fingerprint check disabled (same key + other body answered 201);
    // (2) one acknowledged row deleted before the check. Both must be flagged.
    const controls: NegativeControl[] = [];
    const no422 = entries.map((e) =>
      e.kind === 'other-body' ? { ...e, status: 201, outcome: 'ok' as const } : e,
    );
    const c1 = {
      ...figures,
      otherBodyNot422: no422.filter((e) => e.kind === 'other-body' && e.status !== 422).length,
    };
    controls.push({
      variant: 'fingerprint check disabled: other body under the same key accepted',
      counts: { otherBodyNot422: c1.otherBodyNot422 },
      caught: violations(c1) > 0,
    });
    const victim = [...firstOk.values()][0];
    await query(`DELETE FROM exhibits WHERE incident_id = $1`, [victim.id]);
    // insert-only grants bind the app role; the owner may delete (the broken variant)
    await query(`DELETE FROM incidents WHERE id = $1`, [victim.id]);
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
      title: 'Offline tablets flush through the fault proxy (reset after body, jitter)',
      seed: SEED,
      counts: figures,
      passFigure: '0 lost, 0 duplicated, 100% replay fidelity, 0 cross-tenant replays',
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
      otherBodyNot422: 0,
      crossTenantReplays: 0,
      raceBadStatus: 0,
      unackedAfterRetries: 0,
      queuedReportsStored: queuedTotal,
      stillsStored: queuedTotal,
    });
  });
});
