import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import {
  buildIncidentRequest,
  eventually,
  givenPartnership,
  type GivenPartnership,
  type TestApi,
} from '@app/testing';
import { bodyHash, checkReports, readReportState } from '../lib/checker';
import { readHistory } from '../lib/history-reader';
import { OwnPostgres } from '../lib/own-postgres';
import {
  deriveSeed,
  History,
  type NegativeControl,
  recordResult,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { rawRequest } from '../lib/raw-http';
import { migrateOwn, ownConfig, startApiOn } from '../lib/stack';

/**
 * R4: POSTs at a steady rate while PostgreSQL (a cluster of this test's own, durable settings) is
 * stopped with `pg_ctl stop -m immediate` and started again. The checker reads the history and the
 * database: every acknowledged report present, 503 (never another 5xx) during the outage, no
 * duplicates, and same-key retries after the restart answer the original body.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'R4';
const SEED = deriveSeed(ID);
const TOTAL = scale(160, 1000);
const RATE = scale(40, 20);
const STOP_AT_MS = scale(1500, 20_000);
const DOWN_MS = scale(2000, 5000);

describe('R4 PostgreSQL stopped immediately under load', () => {
  let pg: OwnPostgres;
  let owner: DataSource;
  let api: TestApi;
  let p: GivenPartnership;
  const started = new Date().toISOString();

  beforeAll(async () => {
    pg = await OwnPostgres.start();
    // at 'error' the api prints only true 500s (503s log as warnings): a failure names its cause
    const config = ownConfig(pg, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' });
    owner = await migrateOwn(config);
    api = await startApiOn(config, owner, 'r4');
    p = await givenPartnership(api);
  });
  afterAll(async () => {
    await api?.close();
    await owner?.destroy().catch(() => undefined);
    pg?.destroy();
    if (api) {
      rmSync(api.db.config.storage.dir, { recursive: true, force: true });
    }
  });

  it('loses no acknowledged report and answers 503 while the database is down', async () => {
    const history = new History(ID);
    const schedule: { at: string; event: string }[] = [];
    const bodies = new Map<string, Record<string, unknown>>();
    const post = (key: string) =>
      rawRequest(api.http.baseUrl, 'POST', '/api/v1/incidents', {
        token: p.tokens.shopworker,
        body: bodies.get(key),
        headers: { 'idempotency-key': key },
        timeoutMs: 20_000,
      });
    const send = (key: string, kind: string) =>
      history.run(
        { op: randomUUID(), client: 'load', key, kind },
        () => post(key),
        (r) => ({
          id: r.body?.id,
          bodyHash: r.status === 201 ? bodyHash(r.text) : undefined,
          code: r.body?.code,
        }),
      );

    const t0 = Date.now();
    const readyDuringOutage: number[] = [];
    const fault = (async () => {
      await new Promise((r) => setTimeout(r, STOP_AT_MS));
      schedule.push({ at: new Date().toISOString(), event: 'pg_ctl stop -m immediate' });
      pg.stopImmediate();
      readyDuringOutage.push(
        (await rawRequest(api.http.baseUrl, 'GET', '/ready').catch(() => ({ status: 0 }))).status,
      );
      await new Promise((r) => setTimeout(r, DOWN_MS));
      pg.start();
      schedule.push({ at: new Date().toISOString(), event: 'pg_ctl start' });
    })();
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const key = randomUUID();
      bodies.set(key, buildIncidentRequest({ narrative: `Report under load ${i} ref:${key}` }));
      inflight.push(send(key, 'create-report'));
      const due = t0 + ((i + 1) * 1000) / RATE;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    await Promise.all(inflight);
    await fault;

    // after the restart: every unanswered or refused key is retried (same key, same body) until
    // acknowledged; every acknowledged key is retried once more and must replay byte for byte
    await eventually(
      async () => {
        const r = await rawRequest(api.http.baseUrl, 'GET', '/ready');
        expect(r.status).toBe(200);
      },
      60_000,
      250,
    );
    const firstPass = readHistory(history.file);
    const acked = new Set(firstPass.filter((e) => e.outcome === 'ok').map((e) => e.key!));
    for (const key of bodies.keys()) {
      if (!acked.has(key)) {
        for (let attempt = 0; attempt < 10; attempt++) {
          const r = await send(key, 'create-report');
          if (r?.status === 201) {
            break;
          }
        }
      }
      await send(key, 'create-report');
    }

    const entries = readHistory(history.file);
    const query = (sql: string, params?: unknown[]) => owner.query(sql, params);
    const state = await readReportState(query, p.partnershipId);
    const base = checkReports(entries, { ...state, rollupCells: [], unpublishedOutbox: 0 });
    const loadOps = entries.filter(
      (e) => e.kind === 'create-report' && e.invokeAt < t0 + TOTAL * (1000 / RATE) + 20_000,
    );
    const outageOps = firstPass.filter((e) => e.outcome !== 'ok');
    const figures = {
      ...base,
      posts: TOTAL,
      answeredDuringLoad: firstPass.filter((e) => e.status).length,
      refused503: firstPass.filter((e) => e.status === 503).length,
      non503ServerErrors: entries.filter((e) => (e.status ?? 0) >= 500 && e.status !== 503).length,
      noAnswer: outageOps.filter((e) => !e.status).length,
      readyDuringOutage: readyDuringOutage[0] ?? -1,
      storedAfterRetries: state.reports.length,
      notStoredAfterRetries: [...bodies.keys()].filter((k) => !state.reports.some((r) => r.key === k)).length,
      loadOps: loadOps.length,
    };
    const bad = (c: typeof figures) =>
      c.lost + c.duplicateReports + c.replayMismatch + c.keyForkedIds + c.non503ServerErrors;

    // negative control: one acknowledged row deleted before the check must show as lost
    const controls: NegativeControl[] = [];
    const victim = String(entries.find((e) => e.outcome === 'ok')!.value!.id);
    await query(`DELETE FROM incidents WHERE id = $1`, [victim]);
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
    // and a 500 in place of a 503 in the history must be counted
    const with500 = entries.map((e, i) => (i === 0 ? { ...e, status: 500 } : e));
    const c500 = with500.filter((e) => (e.status ?? 0) >= 500 && e.status !== 503).length;
    controls.push({
      variant: 'a 500 during the outage',
      counts: { non503ServerErrors: c500 },
      caught: c500 > 0,
    });

    const passed =
      bad(figures) === 0 && figures.notStoredAfterRetries === 0 && controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title: 'PostgreSQL stopped immediately under load (own cluster), restarted',
      seed: SEED,
      counts: figures,
      passFigure: 'acknowledged-lost 0, non-503 5xx 0, duplicates 0',
      passed,
      negativeControls: controls,
      schedule,
      config: {
        posts: TOTAL,
        ratePerSecond: RATE,
        stopAtMs: STOP_AT_MS,
        downMs: DOWN_MS,
        postgres: 'fsync=on synchronous_commit=on full_page_writes=on',
      },
      historyFile: history.file,
      notes: ['/ready status sampled right after the stop is recorded as readyDuringOutage (503 expected)'],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(figures).toMatchObject({
      lost: 0,
      duplicateReports: 0,
      replayMismatch: 0,
      keyForkedIds: 0,
      non503ServerErrors: 0,
      notStoredAfterRetries: 0,
    });
  });
});
