import { createHash } from 'node:crypto';
import { Rng } from './random';

/**
 * Bump when the distributions change: benchmark datasets are cached by (seed, size, version).
 * 2: each partnership has its own offenders (references carry their partnership), loaded as subjects.
 */
export const SYNTHETIC_VERSION = 2;

export interface SyntheticWorld {
  partnerships: { id: string; storeIds: string[] }[];
  /** who the rows say reported them (a user id) */
  reporterId: string;
}

export interface GenerateOptions {
  seed: number;
  count: number;
  /** first London day (YYYY-MM-DD) and the number of days covered */
  from: string;
  days: number;
  /** offender pool size; default count / 8 */
  offenders?: number;
}

/** One generated incident, in the columns COPY writes. */
export interface SyntheticIncident {
  id: string;
  partnershipId: string;
  storeId: string;
  status: 'submitted' | 'reviewed' | 'closed';
  types: string[];
  triggers: string[];
  weapon: string;
  injury: string;
  valuePence: number;
  occurredAt: Date;
  offenderId: string | null;
  policeReported: boolean;
  policeAttended: boolean;
}

/** The serial offenders the generator planted: the top decile of the Zipf-like pool. */
export interface GroundTruth {
  seed: number;
  version: number;
  count: number;
  checksum: string;
  serialOffenders: { offenderId: string; incidents: number; partnershipId: string }[];
  /** share of offender-linked incidents committed by the top 10% of offenders */
  topDecileShare: number;
}

// Weekday weights Sun..Sat and hour weights 0..23 (afternoon and after-school peaks).
const WEEKDAY = [0.8, 1, 1, 1, 1.05, 1.15, 1.25];
const HOUR = [
  0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1, 1.3, 1.5, 1.7, 1.9, 2, 2, 2.2, 2.4, 2.4, 2.1, 1.7, 1.3, 0.9,
  0.5, 0.2,
];
const OTHER_TRIGGERS = [
  'refusing_age_restricted_sale',
  'refusing_intoxicated_customer',
  'asking_for_id',
  'enforcing_store_policy',
  'queues_or_staffing',
  'out_of_stock',
  'refund_dispute',
  'self_scan_dispute',
  'unprovoked',
];
const OTHER_TRIGGER_WEIGHTS = [30, 15, 10, 10, 8, 5, 8, 6, 8];
/** Zipf-like exponent: P(offender index < 10% of pool) = 0.1^(1/a) = 0.7 */
const ZIPF_A = Math.log(0.1) / Math.log(0.7);
/** log-normal theft value in pounds: median £40 (mu = ln 40), 90% under £200 (sigma = 1.26) */
const MU = Math.log(40);
const SIGMA = 1.26;

/**
 * The offenders of each partnership (about o.offenders, default count / 8, in all): an incident
 * names only a subject of its own partnership, so the loader creates these as subjects first.
 */
export function offenderPools(world: SyntheticWorld, o: GenerateOptions): Map<string, string[]> {
  const total = Math.max(10, o.offenders ?? Math.ceil(o.count / 8));
  const size = Math.max(10, Math.ceil(total / world.partnerships.length));
  const idRng = new Rng(o.seed ^ 0x5eed);
  return new Map(world.partnerships.map((p) => [p.id, Array.from({ length: size }, () => idRng.uuid())]));
}

/**
 * Synthetic incidents calibrated to the domain brief (§6): violence 10-14% of incidents, verbal :
 * physical : injury 73 : 21 : 8 among violence and abuse, weapons in ~3.5% of those (two thirds
 * knives), shoplifting triggering ~65% of abuse, under a third of violent incidents reported,
 * Zipf-like offenders (10% commit 70%), log-normal theft values. Same seed, same rows.
 */
export function* generateIncidents(world: SyntheticWorld, o: GenerateOptions): Generator<SyntheticIncident> {
  const rng = new Rng(o.seed);
  const stores = world.partnerships.flatMap((p) => p.storeIds.map((s) => ({ p: p.id, s })));
  const pools = offenderPools(world, o);
  const start = Date.parse(`${o.from}T00:00:00Z`);
  // days weighted by weekday
  const dayWeights = Array.from(
    { length: o.days },
    (_, d) => WEEKDAY[new Date(start + d * 86_400_000).getUTCDay()],
  );
  const cumDays: number[] = [];
  dayWeights.reduce((acc, w, i) => (cumDays[i] = acc + w), 0);
  const totalDays = cumDays[cumDays.length - 1];
  const pickDay = () => {
    const r = rng.next() * totalDays;
    let lo = 0;
    let hi = cumDays.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumDays[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  };
  for (let n = 0; n < o.count; n++) {
    const where = stores[rng.int(stores.length)];
    const day = pickDay();
    const hour = rng.weighted(HOUR);
    // noon UTC anchors the London day; hours stay inside it (London is UTC+0/+1)
    const occurredAt = new Date(
      start + day * 86_400_000 + Math.max(0, hour - 1) * 3_600_000 + rng.int(3_600_000),
    );
    const types: string[] = [];
    const triggers: string[] = [];
    let weapon = 'none';
    let injury = 'none';
    const violenceOrAbuse = rng.chance(0.42);
    if (violenceOrAbuse) {
      const kind = rng.weighted([73, 21, 8]);
      types.push(
        kind === 0
          ? rng.chance(0.3)
            ? 'threat'
            : 'verbal_abuse'
          : kind === 1
            ? 'violence_no_injury'
            : 'violence_injury',
      );
      if (kind === 0 && rng.chance(0.05)) {
        types.push('hate_aggravated_abuse');
      }
      if (rng.chance(0.65)) {
        triggers.push('challenging_theft');
        types.unshift('theft_shop');
      } else {
        triggers.push(OTHER_TRIGGERS[rng.weighted(OTHER_TRIGGER_WEIGHTS)]);
      }
      if (rng.chance(0.035)) {
        weapon = rng.chance(2 / 3) ? 'knife' : ['syringe', 'blunt', 'other', 'other_bladed'][rng.int(4)];
      }
      if (kind === 2) {
        injury = ['minor', 'minor', 'first_aid', 'medical', 'hospital'][rng.int(5)];
      }
    } else {
      const k = rng.weighted([85, 4, 4, 4, 3]);
      types.push(['theft_shop', 'theft_other', 'criminal_damage', 'fraud', 'asb'][k]);
    }
    const theft = types.includes('theft_shop') || types.includes('theft_other');
    const valuePence = theft ? Math.max(100, Math.round(Math.exp(MU + SIGMA * rng.normal()) * 100)) : 0;
    const violent = types.includes('violence_injury') || types.includes('violence_no_injury');
    const policeReported = rng.chance(violent ? 0.3 : 0.25);
    const policeAttended = policeReported && rng.chance(0.4);
    const pool = pools.get(where.p)!;
    const offenderId = rng.chance(0.6)
      ? pool[Math.min(pool.length - 1, Math.floor(pool.length * rng.next() ** ZIPF_A))]
      : null;
    const status = (['submitted', 'submitted', 'submitted', 'reviewed', 'closed'] as const)[rng.int(5)];
    yield {
      id: rng.uuid(),
      partnershipId: where.p,
      storeId: where.s,
      status,
      types,
      triggers,
      weapon,
      injury,
      valuePence,
      occurredAt,
      offenderId,
      policeReported,
      policeAttended,
    };
  }
}

const csv = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** One incident's values, in the order of INCIDENT_COPY_COLUMNS (as text where COPY would parse them). */
export function incidentValues(i: SyntheticIncident, reporterId: string): (string | number | boolean | null)[] {
  const goods =
    i.valuePence > 0
      ? JSON.stringify([
          {
            description: 'goods',
            sku: null,
            quantity: 1,
            unitPricePence: i.valuePence,
            recoveredQuantity: 0,
          },
        ])
      : '[]';
  return [
    i.id,
    i.partnershipId,
    i.storeId,
    i.status,
    `{${i.types.join(',')}}`,
    `{${i.triggers.join(',')}}`,
    i.weapon,
    i.injury,
    goods,
    i.valuePence,
    i.occurredAt.toISOString(),
    new Date(i.occurredAt.getTime() + 600_000).toISOString(),
    'Synthetic incident',
    i.offenderId,
    i.policeReported,
    i.policeAttended,
    reporterId,
    'user',
  ];
}

/** The values that may hold a comma or a quote: types, triggers, goods. */
const QUOTED = new Set([4, 5, 8]);

/** One incident as a CSV line for `COPY incidents (INCIDENT_COPY_COLUMNS) FROM STDIN (FORMAT csv)`. */
export function incidentCsvLine(i: SyntheticIncident, reporterId: string): string {
  return incidentValues(i, reporterId)
    .map((v, k) => (v === null ? '' : QUOTED.has(k) ? csv(String(v)) : String(v)))
    .join(',');
}

/**
 * created_at and updated_at are left to their default (the loading transaction's now()), as for
 * reports filed through the API; the incidents trigger queues each counted row for the rollups.
 */
export const INCIDENT_COPY_COLUMNS =
  'id, partnership_id, store_id, status, types, triggers, weapon, injury, goods, value_pence, occurred_at, reported_at, narrative, offender_id, police_reported, police_attended, reported_by, reported_by_kind';

/** Runs the generator without a database: rows, checksum and ground truth (for tests and benches). */
export function groundTruthOf(world: SyntheticWorld, o: GenerateOptions): GroundTruth {
  const hash = createHash('sha256');
  const perOffender = new Map<string, { n: number; p: string }>();
  for (const i of generateIncidents(world, o)) {
    hash.update(incidentCsvLine(i, world.reporterId) + '\n');
    if (i.offenderId) {
      const e = perOffender.get(i.offenderId) ?? { n: 0, p: i.partnershipId };
      e.n++;
      perOffender.set(i.offenderId, e);
    }
  }
  return truthFrom(o, hash.digest('hex'), perOffender);
}

export function truthFrom(
  o: GenerateOptions,
  checksum: string,
  per: Map<string, { n: number; p: string }>,
): GroundTruth {
  const sorted = [...per.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const pool = Math.max(10, o.offenders ?? Math.ceil(o.count / 8));
  const top = sorted.slice(0, Math.ceil(pool / 10));
  const linked = sorted.reduce((a, [, e]) => a + e.n, 0);
  return {
    seed: o.seed,
    version: SYNTHETIC_VERSION,
    count: o.count,
    checksum,
    serialOffenders: top.map(([offenderId, e]) => ({ offenderId, incidents: e.n, partnershipId: e.p })),
    topDecileShare: linked ? top.reduce((a, [, e]) => a + e.n, 0) / linked : 0,
  };
}
