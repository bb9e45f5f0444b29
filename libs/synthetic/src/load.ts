import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient, Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  type GenerateOptions,
  generateIncidents,
  type GroundTruth,
  INCIDENT_COPY_COLUMNS,
  incidentCsvLine,
  offenderPools,
  type SyntheticWorld,
  truthFrom,
} from './incidents';

const ROWS_PER_COPY = 250_000;

/**
 * Streams generated incidents into PostgreSQL with COPY FROM STDIN (as the table owner: COPY
 * bypasses nothing the owner could not do). Returns the checksum and the planted serial offenders.
 */
export async function copyIncidents(
  client: Client | PoolClient,
  world: SyntheticWorld,
  o: GenerateOptions,
): Promise<GroundTruth> {
  const hash = createHash('sha256');
  const per = new Map<string, { n: number; p: string }>();
  const rows = generateIncidents(world, o);
  let left = true;
  // One COPY statement per ROWS_PER_COPY rows: PostgreSQL runs each row's foreign-key checks at
  // the end of its statement, where one 10M-row statement stalled (bench/PROFILE.md, section 11).
  function* lines(): Generator<string> {
    let batch: string[] = [];
    for (let n = 0; n < ROWS_PER_COPY; n++) {
      const next = rows.next();
      if (next.done) {
        left = false;
        break;
      }
      const i = next.value;
      const line = incidentCsvLine(i, world.reporterId) + '\n';
      hash.update(line);
      if (i.offenderId) {
        const e = per.get(i.offenderId) ?? { n: 0, p: i.partnershipId };
        e.n++;
        per.set(i.offenderId, e);
      }
      batch.push(line);
      if (batch.length >= 2000) {
        yield batch.join('');
        batch = [];
      }
    }
    if (batch.length) {
      yield batch.join('');
    }
  }
  await createOffenderSubjects(client, world, o);
  while (left) {
    const sink = client.query(copyFrom(`COPY incidents (${INCIDENT_COPY_COLUMNS}) FROM STDIN (FORMAT csv)`));
    await pipeline(Readable.from(lines()), sink);
  }
  return truthFrom(o, hash.digest('hex'), per);
}

/**
 * The generator's offenders as ID-sought subjects: incidents name subjects of their own partnership
 * (a composite foreign key), so these come first.
 */
export async function createOffenderSubjects(
  client: Client | PoolClient,
  world: SyntheticWorld,
  o: GenerateOptions,
): Promise<void> {
  const description = {
    apparentAgeRange: null,
    height: null,
    build: null,
    hair: null,
    usualClothing: null,
    distinguishingMarks: null,
    notes: null,
  };
  for (const [partnershipId, ids] of offenderPools(world, o)) {
    await client.query(
      `INSERT INTO subjects (id, partnership_id, kind, reference, description, created_by)
       SELECT id, $2, 'id_sought', 'SYN-' || upper(left(id::text, 8)), $3::jsonb, $4
         FROM unnest($1::uuid[]) AS id
       ON CONFLICT (id) DO NOTHING`,
      [ids, partnershipId, JSON.stringify(description), world.reporterId],
    );
  }
}

/**
 * Creates `partnerships` partnerships of `storesPer` stores each (and a member business), by INSERT,
 * with slugs `<slugPrefix>-<n>`.
 */
export async function createSyntheticWorld(
  client: Client | PoolClient,
  seed: number,
  partnerships: number,
  storesPer: number,
  reporterId: string,
  slugPrefix = `synthetic-${seed}`,
): Promise<SyntheticWorld> {
  const areas = [
    'Metropolitan Police',
    'West Midlands Police',
    'Greater Manchester Police',
    'Merseyside Police',
    'Avon and Somerset Constabulary',
  ];
  const regions = ['London', 'West Midlands', 'North West', 'North West', 'South West'];
  const world: SyntheticWorld = { partnerships: [], reporterId };
  for (let p = 0; p < partnerships; p++) {
    const slug = `${slugPrefix}-${p}`;
    const [{ id }] = (
      await client.query(
        `INSERT INTO partnerships (name, slug, police_force_area, jurisdiction, region)
         VALUES ($1, $2, $3, 'england_wales', $4) RETURNING id`,
        [`Synthetic BCRP ${p}`, slug, areas[p % areas.length], regions[p % regions.length]],
      )
    ).rows as { id: string }[];
    const [{ id: businessId }] = (
      await client.query(
        `INSERT INTO member_businesses (partnership_id, name) VALUES ($1, $2) RETURNING id`,
        [id, `Synthetic Retail ${p}`],
      )
    ).rows as { id: string }[];
    const storeIds = (
      await client.query(
        `INSERT INTO stores (partnership_id, business_id, name, site, postcode)
         SELECT $1, $2, 'Store ' || g, g || ' High Street', 'ZZ1 ' || g FROM generate_series(1, $3) g RETURNING id`,
        [id, businessId, storesPer],
      )
    ).rows.map((r: { id: string }) => r.id);
    world.partnerships.push({ id, storeIds });
  }
  return world;
}
