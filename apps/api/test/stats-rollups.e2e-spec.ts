import { ModuleRef } from '@nestjs/core';
import fc from 'fast-check';
import type { PoolClient } from 'pg';
import { IncidentTrigger, IncidentType } from '@app/incidents';
import { IncidentRollupRepository, STATS_DIMENSIONS, StatsRepository } from '@app/stats';
import { copyIncidents, createSyntheticWorld } from '@app/synthetic';
import { givenPartnership, type GivenPartnership, startTestApi, type TestApi } from '@app/testing';

jest.setTimeout(180_000);

const TYPES = Object.values(IncidentType);
const TRIGGERS = Object.values(IncidentTrigger);

/**
 * stats_month_dims (partnership × month × dimension) against the raw reports: every cell equals a
 * GROUP BY over `incidents` in which each report counts in `all` and once in each of its types and
 * triggers, after folds of new reports and of amendments, and after a rebuild. A dimension the fold
 * missed, or counted twice, is a cell that differs.
 */
describe('statistics by partnership × month × dimension', () => {
  let api: TestApi;
  let p: GivenPartnership;
  let rollups: IncidentRollupRepository;
  let stats: StatsRepository;
  let client: PoolClient;
  let release: () => Promise<void>;
  let worlds = 0;

  beforeAll(async () => {
    api = await startTestApi();
    p = await givenPartnership(api);
    rollups = await api.app.get(ModuleRef).create(IncidentRollupRepository);
    stats = api.app.get(StatsRepository);
    const qr = api.db.owner.createQueryRunner();
    client = (await qr.connect()) as PoolClient;
    release = () => qr.release();
  });
  afterAll(async () => {
    await release?.();
    await api?.close();
  });

  const COUNTED = `status IN ('submitted', 'reviewed', 'closed')`;
  const LONDON_MONTH = `date_trunc('month', (occurred_at AT TIME ZONE 'Europe/London'))::date::text`;

  /** Every non-empty cell, from the raw reports (no masks: the dimensions straight from the arrays). */
  const rawCells = async (ids: string[]) =>
    (await api.db.owner.query(
      `SELECT partnership_id, ${LONDON_MONTH} AS month, d.dimension, count(*)::int AS incidents,
              count(*) FILTER (WHERE weapon <> 'none')::int AS with_weapon,
              count(*) FILTER (WHERE police_reported)::int AS reported,
              count(*) FILTER (WHERE types && '{theft_shop,theft_other}')::int AS thefts,
              sum(value_pence)::text AS value_pence
         FROM incidents
        CROSS JOIN LATERAL (
          SELECT 'all' UNION SELECT 'type:' || t FROM unnest(types) t UNION SELECT 'trigger:' || x FROM unnest(triggers) x
        ) AS d(dimension)
        WHERE partnership_id = ANY($1::uuid[]) AND ${COUNTED}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [ids],
    )) as Record<string, unknown>[];

  const rollupCells = async (ids: string[]) =>
    (await api.db.owner.query(
      `SELECT partnership_id, month::text AS month, dimension, incidents, with_weapon, reported, thefts,
              value_pence::text AS value_pence
         FROM stats_month_dims WHERE partnership_id = ANY($1::uuid[]) ORDER BY 1, 2, 3`,
      [ids],
    )) as Record<string, unknown>[];

  /** atoms() for a filter against the same figures from the raw reports, month by month. */
  async function checkAtoms(ids: string[], filter: { type?: IncidentType; trigger?: IncidentTrigger }) {
    const conditions = [
      filter.type ? `'${filter.type}' = ANY(types)` : 'true',
      filter.trigger ? `'${filter.trigger}' = ANY(triggers)` : 'true',
    ];
    const expected = (await api.db.owner.query(
      `SELECT partnership_id AS "partnershipId", ${LONDON_MONTH} AS period, count(*)::int AS incidents,
              count(*) FILTER (WHERE 'refusing_age_restricted_sale' = ANY(triggers))::int AS age_restricted,
              sum(value_pence)::text AS value_pence
         FROM incidents
        WHERE partnership_id = ANY($1::uuid[]) AND ${COUNTED} AND ${conditions.join(' AND ')}
          AND occurred_at >= '2025-01-01' AND occurred_at < '2025-09-01'
        GROUP BY 1, 2 ORDER BY 2, 1`,
      [ids],
    )) as {
      partnershipId: string;
      period: string;
      incidents: number;
      age_restricted: number;
      value_pence: string;
    }[];
    const atoms = await stats.atoms({
      partnershipIds: ids,
      from: '2025-01-01',
      to: '2025-08-31',
      grain: 'month',
      ...filter,
    });
    expect(
      atoms
        .filter((a) => a.m.incidents !== 0)
        .map((a) => ({
          partnershipId: a.partnershipId,
          period: a.period,
          incidents: a.m.incidents,
          age_restricted: a.m.age_restricted,
          value_pence: String(a.money.value_pence),
        })),
    ).toEqual(expected);
  }

  it('property: every cell equals a GROUP BY over the raw reports, for every dimension and filter, after folds, amendments and a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 30, max: 300 }),
        fc.integer({ min: 7, max: 500 }),
        // of 256: the share of reports amended
        fc.integer({ min: 48, max: 208 }),
        fc.constantFrom(...TYPES),
        fc.constantFrom(...TRIGGERS),
        async (seed, count, batch, amended, type, trigger) => {
          const unique = seed * 1000 + worlds++;
          const w = await createSyntheticWorld(client, unique, 2, 3, p.users.coordinator.id);
          const ids = w.partnerships.map((x) => x.id);
          await copyIncidents(client, w, { seed: unique, count, from: '2025-01-01', days: 200 });
          for (const id of ids) {
            await rollups.fold(id, batch);
          }
          // amendments: new types and triggers (one or two of each, from the report's own id), a
          // move to another month, and some reports taken out of the statistics (drafts)
          await api.db.owner.query(
            `UPDATE incidents SET
                types = ARRAY[($2::text[])[1 + get_byte(decode(md5(id::text), 'hex'), 0) % 12],
                              ($2::text[])[1 + get_byte(decode(md5(id::text), 'hex'), 1) % 12]]::incident_type[],
                triggers = ARRAY[($3::text[])[1 + get_byte(decode(md5(id::text), 'hex'), 2) % 11]]::incident_trigger[],
                occurred_at = occurred_at + interval '1 day' * (get_byte(decode(md5(id::text), 'hex'), 3) % 40),
                status = CASE WHEN get_byte(decode(md5(id::text), 'hex'), 4) < 40 THEN 'draft' ELSE status END
              WHERE partnership_id = ANY($1::uuid[]) AND get_byte(decode(md5(id::text), 'hex'), 5) < $4`,
            [ids, TYPES, TRIGGERS, amended],
          );
          for (const id of ids) {
            await rollups.fold(id, batch);
          }
          const expected = await rawCells(ids);
          expect(expected.length).toBeGreaterThan(0);
          const folded = await rollupCells(ids);
          expect(folded).toEqual(expected);
          expect(new Set(folded.map((c) => c.dimension)).size).toBeLessThanOrEqual(STATS_DIMENSIONS.length);
          for (const filter of [{}, { type }, { trigger }, { type, trigger }]) {
            await checkAtoms(ids, filter);
          }
          await rollups.rebuild();
          expect(await rollupCells(ids)).toEqual(expected);
        },
      ),
      { seed: 20261206, numRuns: 4 },
    );
  });

  it('every type and trigger has its dimension, and a report counts once in each of its own', async () => {
    expect(STATS_DIMENSIONS).toEqual([
      'all',
      ...TYPES.map((t) => `type:${t}`),
      ...TRIGGERS.map((t) => `trigger:${t}`),
    ]);
    const unique = 999_000_000 + worlds++;
    const w = await createSyntheticWorld(client, unique, 1, 1, p.users.coordinator.id);
    const [id] = w.partnerships.map((x) => x.id);
    await copyIncidents(client, w, { seed: unique, count: 1, from: '2025-03-10', days: 1 });
    await api.db.owner.query(
      `UPDATE incidents SET types = $2::incident_type[], triggers = $3::incident_trigger[], status = 'submitted'
        WHERE partnership_id = $1`,
      [id, TYPES, TRIGGERS],
    );
    await rollups.fold(id);
    const cells = (await api.db.owner.query(
      `SELECT dimension, incidents FROM stats_month_dims WHERE partnership_id = $1 ORDER BY dimension`,
      [id],
    )) as { dimension: string; incidents: number }[];
    expect(cells).toEqual([...STATS_DIMENSIONS].sort().map((dimension) => ({ dimension, incidents: 1 })));
  });
});
