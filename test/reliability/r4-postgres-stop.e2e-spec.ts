import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import {
  buildIncidentRequest,
  givenPartnership,
  type GivenPartnership,
  HttpClient,
  type TestApi,
} from '@app/testing';
import { bodyHash, checkReports, type ReportCounts, readReportState } from '../lib/checker';
import { AppChild, childEnv } from '../lib/compiled-apps';
import { readHistory } from '../lib/history-reader';
import { OwnPostgres } from '../lib/own-postgres';
import {
  deriveSeed,
  History,
  type NegativeControl,
  recordResult,
  runDir,
  scale,
  SPEC_TIMEOUT_MS,
} from '../lib/programme';
import { rawRequest } from '../lib/raw-http';
import { migrateOwn, ownConfig } from '../lib/stack';

/**
 * R4: POSTs at a steady rate while PostgreSQL (a cluster of this test's own, durable settings) is
 * stopped with `pg_ctl stop -m immediate` and started again. The api runs as its own OS process, so
 * its pool lives through the outage and the restart as in production. The checker reads the
 * history and the database: every acknowledged report present, 503 (never another 5xx) during the
 * outage, `/ready` 503 while the database is down, no duplicates, and same-key retries after the
 * restart answer the original body. The outage must be seen to count.
 */
jest.setTimeout(SPEC_TIMEOUT_MS);
const ID = 'R4';
const SEED = deriveSeed(ID);
const TOTAL = scale(160, 1000);
const RATE = scale(40, 20);
const STOP_AT_MS = scale(1500, 20_000);
const DOWN_MS = scale(2000, 5000);
const CONTROL_REPORTS = 30;
const LOG_DIR = join(runDir(), 'logs', ID);

/** Our own cluster, migrated, with the api as a child process and a partnership signed in. */
class Stack {
  private constructor(
    readonly pg: OwnPostgres,
    readonly owner: DataSource,
    readonly api: AppChild,
    readonly config: AppConfig,
    readonly p: GivenPartnership,
  ) {}

  static async start(name: string, settings: Record<string, string> = {}): Promise<Stack> {
    mkdirSync(LOG_DIR, { recursive: true });
    const pg = await OwnPostgres.start(settings);
    const config = ownConfig(pg);
    const owner = await migrateOwn(config);
    // at 'error' the api prints only true 500s (503s log as warnings): a failure names its cause
    const api = await AppChild.start('api', name, childEnv(config, { LOG_LEVEL: 'error' }), LOG_DIR);
    const testApi = {
      db: { name, config, owner, drop: async () => undefined },
      http: new HttpClient(api.url),
    } as unknown as TestApi;
    return new Stack(pg, owner, api, config, await givenPartnership(testApi));
  }

  post(key: string, body: unknown) {
    return rawRequest(this.api.url, 'POST', '/api/v1/incidents', {
      token: this.p.tokens.shopworker,
      body,
      headers: { 'idempotency-key': key },
      timeoutMs: 20_000,
    });
  }

  ready() {
    return rawRequest(this.api.url, 'GET', '/ready', { timeoutMs: 5000 }).catch(() => ({ status: 0 }));
  }

  async check(entries: ReturnType<typeof readHistory>): Promise<ReportCounts> {
    const state = await readReportState((sql, params) => this.owner.query(sql, params), this.p.partnershipId);
    return checkReports(entries, { ...state, rollupCells: [], unpublishedOutbox: 0 });
  }

  async stop(): Promise<void> {
    await this.api.stop();
    await this.owner.destroy().catch(() => undefined);
    this.pg.destroy();
    rmSync(this.config.storage.dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records one POST in the history (its status, id and the hash of an acknowledged body). */
function sender(stack: Stack, history: History, bodies: Map<string, unknown>) {
  return (key: string) =>
    history.run(
      { op: randomUUID(), client: 'load', key, kind: 'create-report' },
      () => stack.post(key, bodies.get(key)),
      (r) => ({
        id: r.body?.id,
        bodyHash: r.status === 201 ? bodyHash(r.text) : undefined,
        code: r.body?.code,
      }),
    );
}

async function waitReady(stack: Stack): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await stack.ready()).status !== 200) {
    if (Date.now() > until) {
      throw new Error('the api did not become ready after the restart');
    }
    await sleep(250);
  }
}

describe('R4 PostgreSQL stopped immediately under load', () => {
  const started = new Date().toISOString();
  const stacks: Stack[] = [];
  afterAll(async () => {
    for (const s of stacks) {
      await s.stop();
    }
  });

  it('loses no acknowledged report and answers 503 while the database is down', async () => {
    const stack = await Stack.start('r4-api');
    stacks.push(stack);
    const history = new History(ID);
    const schedule: { at: string; event: string }[] = [];
    const bodies = new Map<string, Record<string, unknown>>();
    const send = sender(stack, history, bodies);

    const t0 = Date.now();
    const readyWhileDown: number[] = [];
    const fault = (async () => {
      await sleep(STOP_AT_MS);
      schedule.push({ at: new Date().toISOString(), event: 'pg_ctl stop -m immediate' });
      stack.pg.stopImmediate();
      const upAt = Date.now() + DOWN_MS;
      while (Date.now() < upAt) {
        readyWhileDown.push((await stack.ready()).status);
        await sleep(200);
      }
      stack.pg.start();
      schedule.push({ at: new Date().toISOString(), event: 'pg_ctl start' });
    })();
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const key = randomUUID();
      bodies.set(key, buildIncidentRequest({ narrative: `Report under load ${i} ref:${key}` }));
      inflight.push(send(key));
      await sleep(Math.max(0, t0 + ((i + 1) * 1000) / RATE - Date.now()));
    }
    await Promise.all(inflight);
    await fault;

    // after the restart: every unanswered or refused key is retried (same key, same body) until
    // acknowledged; every acknowledged key is retried once more and must replay byte for byte
    await waitReady(stack);
    const firstPass = readHistory(history.file);
    const acked = new Set(firstPass.filter((e) => e.outcome === 'ok').map((e) => e.key!));
    for (const key of bodies.keys()) {
      if (!acked.has(key)) {
        for (let attempt = 0; attempt < 10; attempt++) {
          if ((await send(key))?.status === 201) {
            break;
          }
        }
      }
      await send(key);
    }

    const entries = readHistory(history.file);
    const base = await stack.check(entries);
    const state = await readReportState((sql, ps) => stack.owner.query(sql, ps), stack.p.partnershipId);
    const figures = {
      ...base,
      posts: TOTAL,
      answeredDuringLoad: firstPass.filter((e) => e.status).length,
      refused503: firstPass.filter((e) => e.status === 503).length,
      non503ServerErrors: entries.filter((e) => (e.status ?? 0) >= 500 && e.status !== 503).length,
      noAnswer: firstPass.filter((e) => e.outcome !== 'ok' && !e.status).length,
      readySamplesWhileDown: readyWhileDown.length,
      ready503WhileDown: readyWhileDown.filter((s) => s === 503).length,
      ready200WhileDown: readyWhileDown.filter((s) => s === 200).length,
      storedAfterRetries: state.reports.length,
      notStoredAfterRetries: [...bodies.keys()].filter((k) => !state.reports.some((r) => r.key === k)).length,
    };
    await stack.stop();
    stacks.pop();

    // negative control, a broken variant of the durability settings (quality.md: R4 with
    // synchronous_commit=off): the api acknowledges commits PostgreSQL has not flushed, and the WAL
    // writer flushes the last page only every 10 s, so an immediate stop loses acknowledged reports
    // and the same checker must count them as lost
    const broken = await Stack.start('r4-api-async-commit', {
      synchronous_commit: 'off',
      wal_writer_delay: "'10s'",
      wal_writer_flush_after: "'1GB'",
    });
    stacks.push(broken);
    const controlHistory = new History(`${ID}-control`);
    const controlBodies = new Map<string, Record<string, unknown>>();
    const sendBroken = sender(broken, controlHistory, controlBodies);
    for (let i = 0; i < CONTROL_REPORTS; i++) {
      const key = randomUUID();
      controlBodies.set(key, buildIncidentRequest({ narrative: `Control report ${i} ref:${key}` }));
      await sendBroken(key);
    }
    broken.pg.stopImmediate();
    broken.pg.start();
    await waitReady(broken);
    const controlEntries = readHistory(controlHistory.file);
    const lostByBroken = await broken.check(controlEntries);
    const controls: NegativeControl[] = [
      {
        variant: 'PostgreSQL with synchronous_commit=off (and a 10 s WAL writer), stopped immediately',
        counts: {
          acknowledged: controlEntries.filter((e) => e.outcome === 'ok').length,
          lost: lostByBroken.lost,
        },
        caught: lostByBroken.lost > 0,
      },
    ];

    const outageSeen = figures.refused503 > 0 && figures.ready503WhileDown > 0;
    const passed =
      figures.lost + figures.duplicateReports + figures.replayMismatch + figures.keyForkedIds === 0 &&
      figures.non503ServerErrors === 0 &&
      figures.ready200WhileDown === 0 &&
      figures.notStoredAfterRetries === 0 &&
      outageSeen &&
      controls.every((c) => c.caught);
    recordResult({
      id: ID,
      title: 'PostgreSQL stopped immediately under load (own cluster, api as its own process), restarted',
      seed: SEED,
      counts: figures,
      passFigure: 'acknowledged-lost 0, non-503 5xx 0, duplicates 0; the outage seen (503s, /ready 503)',
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
      notes: [`api log: ${LOG_DIR}`],
      startedAt: started,
    });
    expect(controls.filter((c) => !c.caught)).toEqual([]);
    expect(figures).toMatchObject({
      lost: 0,
      duplicateReports: 0,
      replayMismatch: 0,
      keyForkedIds: 0,
      non503ServerErrors: 0,
      ready200WhileDown: 0,
      notStoredAfterRetries: 0,
    });
    // the outage happened and was answered as one
    expect(figures.refused503).toBeGreaterThan(0);
    expect(figures.ready503WhileDown).toBeGreaterThan(0);
  });
});
