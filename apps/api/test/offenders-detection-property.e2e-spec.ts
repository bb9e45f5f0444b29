import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { dataSourceOptions, SystemDb, TenantDb } from '@app/database';
import { type Detection, SerialOffenderRepository, type SerialSettings } from '@app/offenders';
import { ALL_ENTITIES } from '@app/schema';
import { createPartnership, createTestDatabase, seedIncident, type TestDatabase } from '@app/testing';

jest.setTimeout(180_000);

const DAY = 24 * 3600 * 1000;
const BASE = Date.parse('2026-01-05T12:00:00Z');
const DEFAULTS: SerialSettings = { thresholdPence: 20000, windowDays: 90, minIncidents: 3 };

/** One confirmed link as detection reads it (the facts refreshSubject copies from the report). */
interface Link {
  occurredAt: number;
  valuePence: number;
  theftShop: boolean;
  counted: boolean;
}

/**
 * The rule written the plain way, independently of the SQL and of serial-rule.ts: for each
 * candidate (a submitted shop theft worth 1p..threshold) as the window's end t, the candidates in
 * [t - W days, t]; the latest t whose window holds at least N of them totalling over the threshold.
 */
function reference(
  links: Link[],
  s: SerialSettings,
): { windowTo: number; count: number; total: number } | null {
  const candidates = links.filter(
    (l) => l.theftShop && l.counted && l.valuePence >= 1 && l.valuePence <= s.thresholdPence,
  );
  let best: { windowTo: number; count: number; total: number } | null = null;
  for (const end of candidates) {
    let count = 0;
    let total = 0;
    for (const c of candidates) {
      if (c.occurredAt >= end.occurredAt - s.windowDays * DAY && c.occurredAt <= end.occurredAt) {
        count++;
        total += c.valuePence;
      }
    }
    if (count >= s.minIncidents && total > s.thresholdPence && (!best || end.occurredAt > best.windowTo)) {
      best = { windowTo: end.occurredAt, count, total };
    }
  }
  return best;
}

const plain = (d: Detection | undefined) =>
  d ? { windowTo: d.windowTo.getTime(), count: d.count, total: d.total } : null;

/** Values and times clustered on the rule's edges: 0, 1p, the threshold ±1p, 90 days ±1 ms. */
const value = fc.oneof(
  fc.constantFrom(0, 1, 2, 6667, 9999, 10000, 10001, 19999, 20000, 20001, 40000),
  fc.integer({ min: 0, max: 25000 }),
);
const offset = fc.oneof(
  fc.constantFrom(0, 1, 45 * DAY, 89 * DAY, 90 * DAY - 1, 90 * DAY, 90 * DAY + 1, 91 * DAY, 180 * DAY),
  fc.integer({ min: 0, max: 200 }).map((d) => d * DAY),
  fc.integer({ min: 0, max: 200 * DAY }),
);
const link: fc.Arbitrary<Link> = fc.record({
  occurredAt: offset.map((o) => BASE + o),
  valuePence: value,
  theftShop: fc.constantFrom(true, true, true, false),
  counted: fc.constantFrom(true, true, true, false),
});
const settings: fc.Arbitrary<SerialSettings> = fc.oneof(
  fc.constant({ thresholdPence: 20000, windowDays: 90, minIncidents: 3 }),
  fc.record({
    thresholdPence: fc.constantFrom(10000, 20000),
    windowDays: fc.constantFrom(30, 90),
    minIncidents: fc.constantFrom(2, 3, 4),
  }),
);

/**
 * A series on the edges of a rule: k thefts totalling the threshold, one penny under or over,
 * spaced so the first and last are just inside, exactly on or just outside the window.
 */
const edgeSeries = (s: SerialSettings): fc.Arbitrary<Link[]> =>
  fc
    .record({
      k: fc.integer({ min: 2, max: 5 }),
      delta: fc.constantFrom(-1, 0, 1),
      span: fc.constantFrom(0, s.windowDays * DAY - 1, s.windowDays * DAY, s.windowDays * DAY + 1),
      start: fc.integer({ min: 0, max: 100 }).map((d) => d * DAY),
    })
    .map(({ k, delta, span, start }) => {
      const total = s.thresholdPence + delta;
      return Array.from({ length: k }, (_, i) => ({
        occurredAt: BASE + start + (i === k - 1 ? span : Math.floor((span * i) / k)),
        valuePence: i === k - 1 ? total - Math.floor(total / k) * (k - 1) : Math.floor(total / k),
        theftShop: true,
        counted: true,
      }));
    });

/** A history: random links, an edge series, or an edge series among random links. */
const history = (s: SerialSettings): fc.Arbitrary<Link[]> =>
  fc.oneof(
    fc.array(link, { maxLength: 12 }),
    edgeSeries(s),
    fc.tuple(edgeSeries(s), fc.array(link, { maxLength: 6 })).map(([a, b]) => [...a, ...b]),
  );

/**
 * The optimised detection (the full pass over a partnership and the one-subject prepared check)
 * against the plain rule over random small histories; any boundary off by one (£200, 1p, 90 days,
 * N, peers at one instant, non-theft or draft links) makes a counterexample.
 */
describe('serial detection agrees with the plain rule (property)', () => {
  let db: TestDatabase;
  let app: DataSource;
  let serial: SerialOffenderRepository;
  let tenant: TenantDb;
  let partnershipId: string;
  let userId: string;
  let incidentPool: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = new DataSource(dataSourceOptions(db.config, { entities: ALL_ENTITIES }));
    await app.initialize();
    tenant = new TenantDb(app);
    serial = new SerialOffenderRepository(tenant, new SystemDb(app));
    const p = await createPartnership(db.owner.manager, async (pw) => pw);
    partnershipId = p.partnershipId;
    userId = p.users.coordinator.id;
    // links copy their facts from the report; detection reads only the copies, so a pool of
    // reports serves every history (a subject links each at most once)
    incidentPool = [];
    for (let i = 0; i < 12; i++) {
      incidentPool.push(
        await seedIncident(db.owner, {
          partnershipId,
          storeId: p.storeIds[i % 2],
          reportedBy: userId,
          occurredAt: new Date(BASE),
        }),
      );
    }
  });
  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
  });

  async function givenSubject(links: Link[]): Promise<string> {
    const subjectId = randomUUID();
    await db.owner.query(
      `INSERT INTO subjects (id, partnership_id, kind, reference, description, created_by)
       VALUES ($1, $2, 'id_sought', $3, '{}', $4)`,
      [subjectId, partnershipId, `P-${subjectId.slice(0, 8)}`, userId],
    );
    if (links.length) {
      await db.owner.query(
        `INSERT INTO subject_incidents (partnership_id, subject_id, incident_id, linked_by, occurred_at, store_id,
                                        value_pence, theft_shop, counted)
         SELECT $1, $2, i.id, $3, x.at, i.store_id, x.v, x.theft, x.counted
           FROM unnest($4::uuid[], $5::timestamptz[], $6::bigint[], $7::boolean[], $8::boolean[])
                AS x(incident_id, at, v, theft, counted)
           JOIN incidents i ON i.id = x.incident_id`,
        [
          partnershipId,
          subjectId,
          userId,
          links.map((_, i) => incidentPool[i]),
          links.map((l) => new Date(l.occurredAt)),
          links.map((l) => l.valuePence),
          links.map((l) => l.theftShop),
          links.map((l) => l.counted),
        ],
      );
    }
    return subjectId;
  }

  it('one subject: the prepared check equals the plain rule', async () => {
    await fc.assert(
      fc.asyncProperty(
        settings.chain((s) => fc.tuple(fc.constant(s), history(s))),
        async ([s, links]) => {
          const subjectId = await givenSubject(links);
          // twice on one connection: the second run executes the already-prepared statement
          const [first, again] = await tenant.run({ partnershipId }, async (em) => [
            await serial.detect(em, partnershipId, s, subjectId),
            await serial.detect(em, partnershipId, s, subjectId),
          ]);
          const expected = reference(links, s);
          expect(plain(first[0])).toEqual(expected);
          expect(plain(again[0])).toEqual(expected);
          expect(first.length).toBe(expected ? 1 : 0);
        },
      ),
      { numRuns: 250, seed: 20260601 },
    );
  });

  it('a partnership: the full pass equals the plain rule for every subject', async () => {
    const histories = new Map<string, Link[]>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(history(DEFAULTS), history({ thresholdPence: 10000, windowDays: 30, minIncidents: 2 })),
        async (links) => {
          histories.set(await givenSubject(links), links);
        },
      ),
      { numRuns: 150, seed: 20260602 },
    );
    for (const s of [
      { thresholdPence: 20000, windowDays: 90, minIncidents: 3 },
      { thresholdPence: 10000, windowDays: 30, minIncidents: 2 },
    ]) {
      const [hits, parallel] = await tenant.run({ partnershipId }, async (em) => {
        const before: [{ v: string }] = await em.query(
          `SELECT current_setting('max_parallel_workers_per_gather') AS v`,
        );
        const found = await serial.detect(em, partnershipId, s);
        const after: [{ v: string }] = await em.query(
          `SELECT current_setting('max_parallel_workers_per_gather') AS v`,
        );
        return [found, [before[0].v, after[0].v]] as const;
      });
      // the full pass plans serially, then leaves the transaction's setting as it found it
      expect(parallel[1]).toBe(parallel[0]);
      const got = new Map(hits.map((h) => [h.subjectId, plain(h)]));
      const expected = new Map<string, ReturnType<typeof reference>>();
      for (const [subjectId, links] of histories) {
        const r = reference(links, s);
        if (r) {
          expected.set(subjectId, r);
        }
      }
      // subjects of the first test are in the partnership too: compare on this test's subjects
      const mine = new Map([...got].filter(([id]) => histories.has(id)));
      expect(mine).toEqual(expected);
      expect(expected.size).toBeGreaterThan(5);
    }
  });

  it('row-level security: another partnership sees no detection', async () => {
    const s = { thresholdPence: 20000, windowDays: 90, minIncidents: 3 };
    const flagged = await givenSubject(
      [10000, 10000, 10000].map((v, i) => ({
        occurredAt: BASE + i * DAY,
        valuePence: v,
        theftShop: true,
        counted: true,
      })),
    );
    const own = await tenant.run({ partnershipId }, (em) => serial.detect(em, partnershipId, s, flagged));
    expect(own).toHaveLength(1);
    const other = await createPartnership(db.owner.manager, async (pw) => pw);
    const [all, one] = await tenant.run({ partnershipId: other.partnershipId }, async (em) => [
      await serial.detect(em, partnershipId, s),
      await serial.detect(em, partnershipId, s, flagged),
    ]);
    expect(all).toEqual([]);
    expect(one).toEqual([]);
  });
});
