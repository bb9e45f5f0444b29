import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleRef } from '@nestjs/core';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IncidentRollupRepository, OrganisationKind, StatsRepository } from '@app/stats';
import { JobName } from '@app/queue';
import { ObjectStorage } from '@app/storage';
import {
  copyIncidents,
  createSyntheticWorld,
  groundTruthOf,
  INCIDENT_COPY_COLUMNS,
  incidentCsvLine,
  type SyntheticIncident,
  type SyntheticWorld,
} from '@app/synthetic';
import {
  givenPartnership,
  type GivenPartnership,
  startTestApi,
  testConfig,
  type TestApi,
} from '@app/testing';
import { startApiOn } from '../../../test/lib/stack';
import { ReportsProcessor } from '../../worker/src/reports/reports.processor';
import { StatsService, type StatsViewer } from '../src/stats/stats.service';

jest.setTimeout(180_000);

const K = 5;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const COUNT_KEYS = [
  'incidents',
  'violent',
  'abuse',
  'againstStaff',
  'withWeapon',
  'injured',
  'ageRestrictedTrigger',
  'reportedToPolice',
  'policeAttended',
  'violentReported',
  'thefts',
];

/** Every count an analyst sees, and every nested difference, is 0 or at least k. */
function smallCells(values: number[]): number[] {
  return values.filter((v) => v > 0 && v < K);
}
const countsOf = (o: Record<string, unknown>) => COUNT_KEYS.map((k) => Number(o[k] ?? 0));

describe('campaign statistics', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let rollups: IncidentRollupRepository;
  let stats: StatsService;
  let client: PoolClient;
  let release: () => Promise<void>;
  let worlds = 0;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api, { region: 'North West', policeForceArea: 'Merseyside Police' });
    rollups = await api.app.get(ModuleRef).create(IncidentRollupRepository);
    stats = api.app.get(StatsService);
    const qr = api.db.owner.createQueryRunner();
    client = (await qr.connect()) as PoolClient;
    release = () => qr.release();
  });
  afterAll(async () => {
    await release?.();
    await api?.close();
  });

  /** a fresh world and a generator seed of its own (the same seed gives the same incident ids) */
  const world = async (seed: number, partnerships: number, stores: number) => {
    const unique = seed * 1000 + worlds++;
    return {
      ...(await createSyntheticWorld(client, unique, partnerships, stores, p.users.coordinator.id)),
      unique,
    };
  };

  const member = (partnershipId: string): StatsViewer => ({
    kind: 'member',
    scope: {
      partnershipId,
      actorId: p.users.coordinator.id,
      actorKind: 'user',
      role: 'coordinator' as never,
      storeId: null,
      requestId: 'test',
    },
  });

  /** The same figures straight from the raw rows, in plain SQL. */
  async function raw(partnershipId: string, from: string, to: string, where = 'true') {
    const [r] = await api.db.owner.query(
      `SELECT count(*)::int AS incidents,
              count(*) FILTER (WHERE types && '{violence_injury,violence_no_injury}')::int AS violent,
              count(*) FILTER (WHERE weapon <> 'none')::int AS "withWeapon",
              count(*) FILTER (WHERE 'refusing_age_restricted_sale' = ANY(triggers))::int AS "ageRestrictedTrigger",
              count(*) FILTER (WHERE police_reported)::int AS "reportedToPolice",
              count(*) FILTER (WHERE police_attended)::int AS "policeAttended",
              count(*) FILTER (WHERE types && '{theft_shop,theft_other}')::int AS thefts,
              coalesce(sum(value_pence) FILTER (WHERE types && '{theft_shop,theft_other}'), 0)::text AS "theftValuePence"
         FROM incidents
        WHERE partnership_id = $1 AND status <> 'draft'
          AND (occurred_at AT TIME ZONE 'Europe/London')::date BETWEEN $2::date AND $3::date AND ${where}`,
      [partnershipId, from, to],
    );
    return r as Record<string, number>;
  }
  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
  const RAW_KEYS = [
    'incidents',
    'violent',
    'withWeapon',
    'ageRestrictedTrigger',
    'reportedToPolice',
    'policeAttended',
    'thefts',
    'theftValuePence',
  ];

  it('the generator is deterministic for a seed and follows the calibration table', () => {
    const w: SyntheticWorld = {
      partnerships: [
        { id: '00000000-0000-4000-8000-000000000001', storeIds: ['00000000-0000-4000-8000-000000000002'] },
      ],
      reporterId: '00000000-0000-4000-8000-000000000003',
    };
    const o = { seed: 42, count: 20_000, from: '2025-01-01', days: 365 };
    const a = groundTruthOf(w, o);
    expect(groundTruthOf(w, o).checksum).toBe(a.checksum);
    expect(groundTruthOf(w, { ...o, seed: 43 }).checksum).not.toBe(a.checksum);
    expect(a.topDecileShare).toBeGreaterThan(0.6);
    expect(a.topDecileShare).toBeLessThan(0.8);
    expect(a.serialOffenders.length).toBeGreaterThan(0);
  });

  it('property: every statistic equals the same figure computed from the raw rows, incrementally and after a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 40, max: 400 }),
        fc.integer({ min: 0, max: 300 }),
        async (seed, first, second) => {
          const w = await world(seed, 2, 3);
          await copyIncidents(client, w, { seed: w.unique, count: first, from: '2025-01-01', days: 200 });
          for (const { id } of w.partnerships) {
            await rollups.fold(id, 97);
          }
          // a second load folds incrementally from the pending changes
          await copyIncidents(client, w, {
            seed: w.unique + 500,
            count: second,
            from: '2025-03-01',
            days: 120,
          });
          for (const { id } of w.partnerships) {
            await rollups.fold(id, 53);
            await rollups.fold(id, 53); // a re-run changes nothing
          }
          const check = async () => {
            for (const { id } of w.partnerships) {
              for (const [from, to] of [
                ['2025-01-01', '2025-07-31'],
                ['2025-02-01', '2025-04-30'],
                ['2025-03-17', '2025-05-02'],
              ]) {
                const h = await stats.headline(member(id), { from, to });
                expect(pick(h, RAW_KEYS)).toEqual(await raw(id, from, to));
                const v = await stats.headline(member(id), { from, to, type: 'violence_injury' as never });
                expect(pick(v, RAW_KEYS)).toEqual(await raw(id, from, to, `'violence_injury' = ANY(types)`));
                const t = await stats.headline(member(id), {
                  from,
                  to,
                  trigger: 'challenging_theft' as never,
                });
                expect(pick(t, RAW_KEYS)).toEqual(
                  await raw(id, from, to, `'challenging_theft' = ANY(triggers)`),
                );
              }
              const series = await stats.series(member(id), { from: '2025-01-01', to: '2025-06-30' });
              for (const point of series.points) {
                const end = new Date(Date.UTC(+point.period.slice(0, 4), +point.period.slice(5, 7), 0))
                  .toISOString()
                  .slice(0, 10);
                expect(pick(point, RAW_KEYS)).toEqual(await raw(id, point.period, end));
              }
              const byType = await stats.breakdown(member(id), {
                from: '2025-01-01',
                to: '2025-07-31',
                by: 'type',
              });
              for (const row of byType.rows as { key: string; incidents: number }[]) {
                expect(row.incidents).toBe(
                  (await raw(id, '2025-01-01', '2025-07-31', `'${row.key}' = ANY(types)`)).incidents,
                );
              }
            }
          };
          await check();
          await rollups.rebuild();
          await check();
        },
      ),
      { seed: 20261123, numRuns: 4 },
    );
  });

  it('property: analysts see only counts of 0 or at least k, also through differencing pairs; with k = 1 the checker finds small cells', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const w = await world(seed, 4, 2);
        await copyIncidents(client, w, { seed: w.unique, count: 900, from: '2025-01-01', days: 181 });
        for (const { id } of w.partnerships) {
          await rollups.fold(id);
        }
        const ids = w.partnerships.map((x) => x.id);
        const analyst: StatsViewer = { kind: 'analyst', partnershipIds: ids };
        const found: number[] = [];
        const national = await stats.headline(analyst, { from: '2025-01-01', to: '2025-06-30' });
        found.push(...smallCells(countsOf(national)));
        const perP = await stats.breakdown(analyst, {
          from: '2025-01-01',
          to: '2025-06-30',
          by: 'partnership',
        });
        const perRows = perP.rows as Record<string, unknown>[];
        for (const [index, row] of perRows.entries()) {
          found.push(...smallCells(countsOf(row)));
          // a total minus all partnerships but one
          const rest = await Promise.all(
            ids
              .filter((x) => x !== ids[index])
              .map((x) =>
                stats.headline(analyst, { from: '2025-01-01', to: '2025-06-30', partnershipId: x }),
              ),
          );
          const restSum = COUNT_KEYS.map((_, i) => rest.reduce((a, r) => a + countsOf(r)[i], 0));
          found.push(...smallCells(countsOf(national).map((v, i) => v - restSum[i])));
        }
        // ranges a day (so a month, once snapped) apart
        const shorter = await stats.headline(analyst, { from: '2025-01-02', to: '2025-06-30' });
        const later = await stats.headline(analyst, { from: '2025-02-01', to: '2025-06-30' });
        found.push(...smallCells(countsOf(national).map((v, i) => v - countsOf(shorter)[i])));
        found.push(...smallCells(countsOf(national).map((v, i) => v - countsOf(later)[i])));
        const series = await stats.series(analyst, { from: '2025-01-01', to: '2025-06-30' });
        for (const point of series.points) {
          found.push(...smallCells(countsOf(point)));
        }
        for (const by of ['type', 'trigger', 'police'] as const) {
          const b = await stats.breakdown(analyst, { from: '2025-01-01', to: '2025-06-30', by });
          found.push(...smallCells((b.rows as { incidents: number }[]).map((r) => r.incidents)));
          found.push(
            ...smallCells((b.rows as { incidents: number }[]).map((r) => national.incidents - r.incidents)),
          );
        }
        expect(found).toEqual([]);

        // control: the same checker on unsuppressed figures (k = 1) must flag small cells
        const control: number[] = [];
        for (const id of ids) {
          const s = await stats.series(member(id), { from: '2025-01-01', to: '2025-06-30', interval: 'day' });
          for (const point of s.points) {
            control.push(...smallCells(countsOf(point)));
          }
        }
        expect(control.length).toBeGreaterThan(0);
      }),
      { seed: 7, numRuns: 3 },
    );
  });

  /** Loads these reports (one London month) into a partnership's first store and folds them. */
  async function seedReports(g: GivenPartnership, month: string, reports: Partial<SyntheticIncident>[]) {
    let n = 0;
    const lines = reports.map((r) => {
      const i: SyntheticIncident = {
        id: randomUUID(),
        partnershipId: g.partnershipId,
        storeId: g.storeIds[0],
        status: 'submitted',
        types: [],
        triggers: ['none_known'],
        weapon: 'none',
        injury: 'none',
        valuePence: 0,
        occurredAt: new Date(`${month}-${String(1 + (n++ % 27)).padStart(2, '0')}T12:00:00Z`),
        offenderId: null,
        policeReported: false,
        policeAttended: false,
        ...r,
      };
      return `${incidentCsvLine(i, g.users.coordinator.id)}\n`;
    });
    await pipeline(
      Readable.from([lines.join('')]),
      client.query(copyFrom(`COPY incidents (${INCIDENT_COPY_COLUMNS}) FROM STDIN (FORMAT csv)`)),
    );
    await rollups.fold(g.partnershipId);
  }
  const times = (n: number, r: Partial<SyntheticIncident>) => Array.from({ length: n }, () => ({ ...r }));

  describe('disclosure control and exact sums over HTTP', () => {
    let g: GivenPartnership;
    let key: string;
    const JUNE = 'from=2025-06-01&to=2025-06-30';

    beforeAll(async () => {
      g = await givenPartnership(api, { region: 'Wales', policeForceArea: 'Gwent Police' });
      // issue #15's three examples: thefts - theft_shop = 2, violent - violence_no_injury = 4,
      // abuse - verbal_abuse = 2
      await seedReports(g, '2025-06', [
        ...times(10, { types: ['theft_shop'], valuePence: 1500 }),
        ...times(2, { types: ['theft_other'], valuePence: 700 }),
        ...times(9, { types: ['violence_no_injury'] }),
        ...times(4, { types: ['violence_injury'], injury: 'minor' }),
        ...times(11, { types: ['verbal_abuse'] }),
        ...times(2, { types: ['threat'] }),
      ]);
      const repo = api.app.get(StatsRepository);
      const org = await repo.createOrganisation('Retail union', OrganisationKind.Union);
      key = (await repo.issueApiKey(org.id, 'disclosure test')).secret;
      await api.http.request('PUT', `/api/v1/stats/shares/${org.id}`, { token: g.tokens.coordinator });
    });

    /** What an analyst key gets for June: headline, types, and what can be differenced from them. */
    async function recoverable(on: TestApi) {
      const get = async (path: string) => {
        const res = await on.http.request('GET', `/api/v1/stats/${path}&partnershipId=${g.partnershipId}`, {
          headers: { authorization: `ApiKey ${key}` },
        });
        expect(res.status).toBe(200);
        return res.body;
      };
      const h = await get(`headline?${JUNE}`);
      const types = Object.fromEntries(
        ((await get(`breakdown?by=type&${JUNE}`)).rows as { key: string; incidents: number }[]).map((r) => [
          r.key,
          r.incidents,
        ]),
      );
      const differences = {
        theftOther: h.thefts - types.theft_shop,
        violenceInjury: h.violent - types.violence_no_injury,
        threat: h.abuse - types.verbal_abuse,
      };
      return {
        h,
        recovered: Object.entries(differences).filter(([, v]) => v > 0 && v < K),
        small: Object.entries(types).filter(([, v]) => v > 0 && v < K),
      };
    }

    it('none of issue #15 three cells can be recovered from the published figures', async () => {
      const { h, recovered, small } = await recoverable(api);
      expect(recovered).toEqual([]);
      expect(small).toEqual([]);
      // the parents stay published
      expect(h).toMatchObject({
        incidents: 38,
        thefts: 12,
        violent: 13,
        abuse: 13,
        theftValuePence: '16400',
      });
    });

    it('negative control: the same api with primary suppression only (TEST_DEFECTS) lets all three be recovered', async () => {
      const broken = await startApiOn(
        testConfig(api.db.name, { TEST_DEFECTS: 'stats-primary-suppression-only' }),
        api.db.owner,
        api.db.name,
      );
      try {
        const { recovered } = await recoverable(broken);
        expect(Object.fromEntries(recovered)).toEqual({ theftOther: 2, violenceInjury: 4, threat: 2 });
      } finally {
        await broken.close();
      }
    });

    it('theft values near the cap sum exactly, in JSON and CSV, for members and analysts', async () => {
      const cap = 2_000_000_000_000_000n - 3n;
      const values = [cap, cap - 11n, cap, cap - 2n, cap, 1n, 998n]; // an odd sum past 2^53
      await seedReports(g, '2025-07', [
        ...values.map((v) => ({ types: ['theft_shop'], valuePence: Number(v) })),
        ...times(5, { types: ['fraud'] }),
      ]);
      const exact = values.reduce((a, v) => a + v, 0n).toString();
      expect(BigInt(Number(exact))).not.toBe(BigInt(exact)); // a JS number cannot hold it
      const q = `/api/v1/stats/headline?from=2025-07-01&to=2025-07-31&partnershipId=${g.partnershipId}`;
      for (const opts of [{ token: g.tokens.coordinator }, { headers: { authorization: `ApiKey ${key}` } }]) {
        const json = await api.http.request('GET', q, opts);
        expect(json.status).toBe(200);
        expect(json.text).toContain(`"theftValuePence":"${exact}"`);
        const csv = await api.http.request('GET', `${q}&format=csv`, opts);
        const [head, row] = csv.text.trim().split('\r\n');
        expect(row.split(',')[head.split(',').indexOf('theftValuePence')]).toBe(exact);
      }
      const [{ sum }] = await api.db.owner.query(
        `SELECT sum(theft_value_pence)::text AS sum FROM stats_months WHERE partnership_id = $1 AND month = '2025-07-01'`,
        [g.partnershipId],
      );
      expect(sum).toBe(exact);
    });
  });

  describe('over HTTP', () => {
    let orgKey: string;
    let organisationId: string;

    beforeAll(async () => {
      const w: SyntheticWorld = {
        partnerships: [{ id: p.partnershipId, storeIds: [...p.storeIds] }],
        reporterId: p.users.coordinator.id,
      };
      await copyIncidents(client, w, { seed: 99, count: 600, from: '2025-01-01', days: 120 });
      await rollups.fold(p.partnershipId);
      const repo = api.app.get(StatsRepository);
      const org = await repo.createOrganisation('Shopworkers Union', OrganisationKind.Union);
      organisationId = org.id;
      orgKey = (await repo.issueApiKey(org.id, 'campaigns team')).secret;
    });

    const key = () => ({ authorization: `ApiKey ${orgKey}` });

    it('an analyst key sees nothing until the partnership opts in, then the national headline and a trend as CSV', async () => {
      const before = await api.http.request('GET', '/api/v1/stats/headline?from=2025-01-01&to=2025-04-30', {
        headers: key(),
      });
      expect(before.status).toBe(200);
      expect(before.body.incidents).toBe(0);
      expect(
        (
          await api.http.request('PUT', `/api/v1/stats/shares/${organisationId}`, {
            token: p.tokens.coordinator,
          })
        ).status,
      ).toBe(204);

      const json = await api.http.request('GET', '/api/v1/stats/headline?from=2025-01-01&to=2025-04-30', {
        headers: key(),
      });
      expect(json.status).toBe(200);
      expect(json.body.incidents).toBeGreaterThan(0);
      const csv = await api.http.request(
        'GET',
        '/api/v1/stats/headline?from=2025-01-01&to=2025-04-30&format=csv',
        {
          headers: key(),
        },
      );
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const [head, values] = csv.text.trim().split('\r\n');
      const row = Object.fromEntries(head.split(',').map((h, i) => [h, values.split(',')[i]]));
      for (const k of [...COUNT_KEYS, 'theftValuePence', 'shareViolent', 'incidentsPerDay']) {
        expect(row[k]).toBe(json.body[k] === null ? '' : String(json.body[k]));
      }

      const trend = await api.http.request(
        'GET',
        `/api/v1/stats/series?partnershipId=${p.partnershipId}&from=2025-01-01&to=2025-04-30&format=csv`,
        { headers: key() },
      );
      expect(trend.status).toBe(200);
      const lines = trend.text.trim().split('\r\n');
      expect(lines[0].split(',').slice(0, 3)).toEqual(['period', 'incidents', 'incidentsPerDay']);
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
        '2025-01-01',
        '2025-02-01',
        '2025-03-01',
        '2025-04-01',
      ]);
      const trendJson = await api.http.request(
        'GET',
        `/api/v1/stats/series?partnershipId=${p.partnershipId}&from=2025-01-01&to=2025-04-30`,
        { headers: key() },
      );
      expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(
        trendJson.body.points.map((x: { incidents: number }) => x.incidents),
      );
      for (const text of [json.text, trend.text, trendJson.text]) {
        expect(text).not.toMatch(UUID);
        expect(text).not.toContain('Synthetic incident');
        expect(text).not.toContain('Store');
      }
    });

    it('analyst keys work on statistics routes only, and analysts get 403/404 on every row-level route', async () => {
      expect((await api.http.request('GET', '/api/v1/incidents', { headers: key() })).status).toBe(401);
      expect((await api.http.request('GET', '/api/v1/stores', { headers: key() })).status).toBe(401);
      const [{ id: incidentId }] = await api.db.owner.query(
        `SELECT id FROM incidents WHERE partnership_id = $1 LIMIT 1`,
        [p.partnershipId],
      );
      for (const path of [
        '/api/v1/incidents',
        `/api/v1/incidents/${incidentId}`,
        `/api/v1/incidents/${incidentId}/history`,
        '/api/v1/stores',
        `/api/v1/stores/${p.storeIds[0]}`,
        '/api/v1/users',
        '/api/v1/devices',
        '/api/v1/access-log',
        '/api/v1/businesses',
      ]) {
        const res = await api.http.request('GET', path, { token: p.tokens.analyst });
        expect([403, 404]).toContain(res.status);
      }
      const stores = await api.http.request('GET', '/api/v1/stats/breakdown?by=store', { headers: key() });
      expect(stores.status).toBe(403);
      const filtered = await api.http.request('GET', '/api/v1/stats/headline?type=theft_shop', {
        headers: key(),
      });
      expect(filtered.status).toBe(400);
      const day = await api.http.request('GET', '/api/v1/stats/series?interval=day', {
        token: p.tokens.analyst,
      });
      expect(day.status).toBe(400);
      const elsewhere = await api.http.request(
        'GET',
        '/api/v1/stats/headline?partnershipId=00000000-0000-4000-8000-000000000000',
        { headers: key() },
      );
      expect(elsewhere.status).toBe(404);
      expect(
        (await api.http.request('GET', '/api/v1/stats/headline', { token: p.tokens.shopworker })).status,
      ).toBe(403);
      const bad = await api.http.request('GET', '/api/v1/stats/headline', {
        headers: { authorization: 'ApiKey nope' },
      });
      expect(bad.status).toBe(401);
    });

    it('a coordinator sees store hot spots, JSON and CSV agree, and downloads the quarterly report', async () => {
      const json = await api.http.request(
        'GET',
        '/api/v1/stats/breakdown?by=store&from=2025-01-01&to=2025-03-31',
        {
          token: p.tokens.coordinator,
        },
      );
      expect(json.status).toBe(200);
      const csv = await api.http.request(
        'GET',
        '/api/v1/stats/breakdown?by=store&from=2025-01-01&to=2025-03-31&format=csv',
        { token: p.tokens.coordinator },
      );
      const lines = csv.text.trim().split('\r\n').slice(1);
      expect(lines.map((l) => Number(l.split(',')[2]))).toEqual(
        json.body.rows.map((r: { incidents: number }) => r.incidents),
      );

      const req = await api.http.post(
        '/api/v1/stats/reports',
        { year: 2025, quarter: 1 },
        p.tokens.coordinator,
      );
      expect(req.status).toBe(202);
      const [job] = await api.db.owner.query(
        `SELECT payload FROM outbox WHERE partnership_id = $1 AND name = $2`,
        [p.partnershipId, JobName.BuildPartnershipReport],
      );
      expect(job.payload.reportId).toBe(req.body.id);
      const processor = new ReportsProcessor(api.app.get(StatsRepository), api.app.get(ObjectStorage));
      await processor.handlers[JobName.BuildPartnershipReport](job.payload);
      const status = await api.http.get(`/api/v1/stats/reports/${req.body.id}`, p.tokens.coordinator);
      expect(status.body.status).toBe('ready');
      const pdf = await fetch(
        `${(api.http as unknown as { baseUrl: string }).baseUrl}/api/v1/stats/reports/${req.body.id}/pdf`,
        {
          headers: { authorization: `Bearer ${p.tokens.coordinator}` },
        },
      );
      expect(pdf.status).toBe(200);
      const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'r.pdf');
      writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      for (const expected of [
        'Quarterly partnership report',
        '2025 Q1',
        'Trend by month',
        'Hot spots by store',
        'Offences against staff',
        'Police response',
        'Repeat offenders (counted, not named)',
      ]) {
        expect(text).toContain(expected);
      }
      const [{ n }] = await api.db.owner.query(
        `SELECT count(*)::int AS n FROM access_log WHERE object_type = 'partnership_report' AND object_id = $1`,
        [req.body.id],
      );
      expect(n).toBe(1);
      expect((await api.http.get(`/api/v1/stats/reports/${req.body.id}`, p.tokens.analyst)).status).toBe(403);
    });
  });
});
