import {
  type Measures,
  STATS_INJURIES,
  STATS_MEASURES,
  STATS_TRIGGERS,
  STATS_TYPES,
  STATS_WEAPONS,
} from '@app/database';

/** Measures analysts may see; weapon kinds and injury levels are too fine for partnership-months. */
export const ANALYST_COLUMNS: readonly string[] = [
  'incidents',
  'violent',
  'abuse',
  'against_staff',
  'with_weapon',
  'injured',
  'age_restricted',
  'reported',
  'attended',
  'violent_reported',
  'thefts',
  'theft_value_pence',
  ...STATS_TYPES.map((t) => `type_${t}`),
  ...STATS_TRIGGERS.map((t) => `trigger_${t}`),
];

/** A count's parent: publishing both would publish their difference, so both must be safe. */
const PARENT: Record<string, string> = { violent_reported: 'violent' };
/** A sum of money is published only with the count of the incidents it sums. */
const MONEY_COUNT: Record<string, string> = { theft_value_pence: 'thefts' };

const small = (v: number, k: number) => v > 0 && v < k;

/**
 * Primary and complementary suppression of one (partnership, month) atom. The atom vanishes when
 * it holds fewer than k reports; a count is withheld (0) when it, its complement within the atom,
 * or its complement within its parent is between 1 and k-1. Every published figure is a sum of
 * atoms treated this way, so any difference between two nested figures is again a sum of safe
 * counts: 0 or at least k.
 */
export function suppressAtom(m: Measures, k: number): Measures {
  const out: Measures = {};
  const total = m.incidents ?? 0;
  if (total < k) {
    for (const c of ANALYST_COLUMNS) {
      out[c] = 0;
    }
    return out;
  }
  for (const c of ANALYST_COLUMNS) {
    if (c === 'incidents' || MONEY_COUNT[c]) {
      continue;
    }
    const v = m[c] ?? 0;
    const parent = PARENT[c];
    const unsafe =
      small(v, k) || small(total - v, k) || (parent !== undefined && small((m[parent] ?? 0) - v, k));
    out[c] = unsafe ? 0 : v;
  }
  for (const c of Object.keys(PARENT)) {
    if (out[PARENT[c]] === 0) {
      out[c] = 0;
    }
  }
  out.incidents = total;
  for (const [money, count] of Object.entries(MONEY_COUNT)) {
    out[money] = out[count] === 0 ? 0 : (m[money] ?? 0);
  }
  return out;
}

/** Column-wise sum. */
export function addMeasures(into: Measures, m: Measures): Measures {
  for (const [c, v] of Object.entries(m)) {
    into[c] = (into[c] ?? 0) + v;
  }
  return into;
}

export function emptyMeasures(columns: readonly string[] = STATS_MEASURES.map((m) => m.column)): Measures {
  return Object.fromEntries(columns.map((c) => [c, 0]));
}

const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/** The headline figures of one summed vector over `days` London days. */
export function headlineOf(m: Measures, days: number) {
  return {
    incidents: m.incidents,
    incidentsPerDay: days > 0 ? Math.round((m.incidents / days) * 100) / 100 : null,
    violent: m.violent,
    shareViolent: share(m.violent, m.incidents),
    abuse: m.abuse,
    againstStaff: m.against_staff,
    withWeapon: m.with_weapon,
    shareWithWeapon: share(m.with_weapon, m.incidents),
    injured: m.injured,
    ageRestrictedTrigger: m.age_restricted,
    shareAgeRestrictedTrigger: share(m.age_restricted, m.incidents),
    reportedToPolice: m.reported,
    shareReportedToPolice: share(m.reported, m.incidents),
    policeAttended: m.attended,
    sharePoliceAttended: share(m.attended, m.incidents),
    violentReported: m.violent_reported,
    shareViolentReported: share(m.violent_reported, m.violent),
    thefts: m.thefts,
    theftValuePence: m.theft_value_pence,
  };
}

export type Headline = ReturnType<typeof headlineOf>;

/** Breakdown dimensions and the measure columns that make up each. */
export const BREAKDOWNS = {
  type: STATS_TYPES.map((t) => [t, `type_${t}`]),
  trigger: STATS_TRIGGERS.map((t) => [t, `trigger_${t}`]),
  weapon: STATS_WEAPONS.map((w) => [w, `weapon_${w}`]),
  injury: STATS_INJURIES.map((l) => [l, `injury_${l}`]),
  police: [
    ['reported', 'reported'],
    ['attended', 'attended'],
    ['violent_reported', 'violent_reported'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

/** RFC 4180 CSV of flat rows, columns in the first row's key order. */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (!rows.length) {
    return '';
  }
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
