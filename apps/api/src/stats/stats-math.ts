import {
  ABUSE_TYPES,
  type Measures,
  type Money,
  STATS_INJURIES,
  STATS_MEASURES,
  STATS_TRIGGERS,
  STATS_TYPES,
  STATS_WEAPONS,
  THEFT_TYPES,
  VIOLENT_TYPES,
} from '@app/stats';
import { IncidentTrigger, IncidentType } from '@app/incidents';
import { type Relation, type SuppressOptions, suppressTable } from './suppression';

/** Counts analysts may see; weapon kinds and injury levels are too fine for partnership-months. */
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
  ...STATS_TYPES.map((t) => `type_${t}`),
  ...STATS_TRIGGERS.map((t) => `trigger_${t}`),
];

/** A sum of money is published only with the count of the incidents it sums. */
const MONEY_COUNT: Record<string, string> = { theft_value_pence: 'thefts' };
const COUNT_COLUMNS = ANALYST_COLUMNS;

const typeCols = (types: readonly string[]) => types.map((t) => `type_${t}`);

/** The category tree: each parent is the union of its children (plus, for incidents, the rest). */
const TREE: readonly Relation[] = [
  { parent: 'violent', children: typeCols(VIOLENT_TYPES) },
  { parent: 'abuse', children: typeCols(ABUSE_TYPES) },
  { parent: 'thefts', children: typeCols(THEFT_TYPES) },
  { parent: 'against_staff', children: ['violent', 'abuse', `type_${IncidentType.Robbery}`] },
  { parent: 'violent', children: ['violent_reported'] },
  { parent: 'reported', children: ['violent_reported'] },
  { parent: 'age_restricted', children: [`trigger_${IncidentTrigger.RefusingAgeRestrictedSale}`] },
];

function descendants(parent: string): string[] {
  const direct = TREE.filter((r) => r.parent === parent).flatMap((r) => r.children);
  return [...new Set([...direct, ...direct.flatMap(descendants)])];
}

/**
 * Every relation among one atom's published counts: the tree, each parent with each of its
 * descendants (against_staff - threat is a count too), and incidents with every count (the
 * complement within the atom). Totals over periods, partnerships and areas need none: each is a
 * sum of atoms suppressed here, so any difference between them is a sum of published atom figures.
 */
export const ATOM_RELATIONS: readonly Relation[] = [
  ...TREE,
  ...[...new Set(TREE.map((r) => r.parent))].flatMap((parent) =>
    descendants(parent)
      .filter((d) => !TREE.some((r) => r.parent === parent && r.children.length === 1 && r.children[0] === d))
      .map((d) => ({ parent, children: [d] })),
  ),
  ...COUNT_COLUMNS.filter((c) => c !== 'incidents').map((c) => ({ parent: 'incidents', children: [c] })),
];

/**
 * Suppression of one (partnership, month) atom: it vanishes when it holds fewer than k reports,
 * then primary and complementary suppression over ATOM_RELATIONS (see suppressTable). Withheld
 * figures read 0, so every published total, summed from atoms treated this way, differences only
 * into sums of published atom figures.
 */
export function suppressAtom(m: Measures, k: number, options: SuppressOptions = {}): Measures {
  const out: Measures = {};
  for (const c of ANALYST_COLUMNS) {
    out[c] = 0;
  }
  if ((m.incidents ?? 0) < k) {
    return out;
  }
  const counts = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, m[c] ?? 0]));
  const hidden = suppressTable(counts, ATOM_RELATIONS, k, options);
  if (hidden.has('incidents')) {
    return out;
  }
  for (const c of COUNT_COLUMNS) {
    out[c] = hidden.has(c) ? 0 : counts[c];
  }
  return out;
}

/** Money follows its count: withheld (0n) whenever the count is. */
export function suppressMoney(published: Measures, money: Money): Money {
  const out: Money = {};
  for (const [c, count] of Object.entries(MONEY_COUNT)) {
    out[c] = published[count] ? (money[c] ?? 0n) : 0n;
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

/** Column-wise sum of money, exact (pence as bigint). */
export function addMoney(into: Money, m: Money): Money {
  for (const [c, v] of Object.entries(m)) {
    into[c] = (into[c] ?? 0n) + v;
  }
  return into;
}

export function emptyMeasures(
  columns: readonly string[] = STATS_MEASURES.filter((m) => !m.money).map((m) => m.column),
): Measures {
  return Object.fromEntries(columns.map((c) => [c, 0]));
}

const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/**
 * The headline figures of one summed vector over `days` London days. Money is a decimal string of
 * pence: sums pass 2^53 (five reports at the cap do), where a JSON number would round.
 */
export function headlineOf(m: Measures, money: Money, days: number) {
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
    theftValuePence: (money.theft_value_pence ?? 0n).toString(),
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
