import type { TextSearch } from '@app/database';
import { DomainError, ErrorCode } from '@app/errors';
import { IncidentType, InjuryLevel, type WeaponKind } from '@app/incidents';
import { pounds, type SerialFlagState } from '@app/offenders';
import { type CaseOrigin, CaseStatus, type PoliceCase } from './entities/case.entity';

// The case's pure rules: its state machine, what the store is told, and the triage queue: what
// comes to it and the one score that orders it.

/** Allowed status changes; anything else is a 409. */
export const CASE_TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  [CaseStatus.New]: [CaseStatus.InTriage, CaseStatus.EvidenceRequested, CaseStatus.NoFurtherAction],
  [CaseStatus.InTriage]: [
    CaseStatus.EvidenceRequested,
    CaseStatus.ReadyForCps,
    CaseStatus.Charged,
    CaseStatus.NoFurtherAction,
    CaseStatus.CommunityResolution,
  ],
  [CaseStatus.EvidenceRequested]: [
    CaseStatus.InTriage,
    CaseStatus.ReadyForCps,
    CaseStatus.Charged,
    CaseStatus.NoFurtherAction,
    CaseStatus.CommunityResolution,
  ],
  [CaseStatus.ReadyForCps]: [CaseStatus.EvidenceRequested, CaseStatus.Charged, CaseStatus.NoFurtherAction],
  [CaseStatus.Charged]: [CaseStatus.CourtOutcome, CaseStatus.NoFurtherAction],
  [CaseStatus.NoFurtherAction]: [],
  [CaseStatus.CommunityResolution]: [],
  [CaseStatus.CourtOutcome]: [],
};

/** What the store and the victim are told when a case reaches a status (null: nothing yet). */
export function plainWordsFor(status: CaseStatus, outcome: string | null): string | null {
  switch (status) {
    case CaseStatus.New:
      return 'The police have opened a case from your report.';
    case CaseStatus.InTriage:
      return 'A police officer is looking at the case.';
    case CaseStatus.EvidenceRequested:
      return 'The police have asked for more evidence. Please check the requests for your store.';
    case CaseStatus.ReadyForCps:
      return 'The police file is ready and is going to the Crown Prosecution Service, who decide whether to charge.';
    case CaseStatus.Charged:
      return 'Someone has been charged. The case will now go to court.';
    case CaseStatus.NoFurtherAction:
      return `The police will take no further action on this case.${outcome ? ` ${outcome}` : ''} Your report stays on record and can still count towards a pattern of offending.`;
    case CaseStatus.CommunityResolution:
      return `The offender has been dealt with out of court by a community resolution.${outcome ? ` ${outcome}` : ''}`;
    case CaseStatus.CourtOutcome:
      return `The court has decided the case.${outcome ? ` ${outcome}` : ''}`;
  }
}

/** Throws 409 naming the allowed next statuses unless `from` may go to `to`. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (!CASE_TRANSITIONS[from].includes(to)) {
    throw new DomainError(ErrorCode.Conflict, `A case cannot go from ${from} to ${to}`, [
      {
        field: 'status',
        problems: [`allowed from ${from}: ${CASE_TRANSITIONS[from].join(', ') || 'none (final)'}`],
      },
    ]);
  }
}

export interface OpenCase {
  incidentIds: string[];
  origin: CaseOrigin;
  serialFlagId: string | null;
  subjectId: string | null;
  title: string;
  offenderDetained: boolean;
  victimVulnerable: boolean;
  reason: string;
}

export interface TriageFilter {
  statuses: CaseStatus[];
  /** an officer's user id, or 'unassigned' */
  officer?: string;
  /**
   * also list what no case holds yet: serial flags still to act on and high-priority reports (they
   * have no case status and nobody is assigned to them)
   */
  withFlagsAndReports: boolean;
  /** cases whose reference or title has these words (then cases only, still in priority order) */
  search?: TextSearch | null;
}

/** What a triage item is: an open case, a serial flag no case holds yet, or a report on no case. */
export enum TriageItemKind {
  Case = 'case',
  SerialFlag = 'serial_flag',
  Report = 'report',
}

/** Order among items of equal score (higher first): cases, then flags, then reports. */
export const TRIAGE_KIND_RANK: Record<TriageItemKind, number> = {
  [TriageItemKind.Case]: 3,
  [TriageItemKind.SerialFlag]: 2,
  [TriageItemKind.Report]: 1,
};

/** The factors behind an item's priority score, as computed by the triage query. */
export interface TriageFactors {
  violence: boolean;
  injury: boolean;
  weapon: boolean;
  hate: boolean;
  offenderDetained: boolean;
  cctvOverwriteOn: string | null;
  prolific: boolean;
  hasStatement: boolean;
  hasExhibit: boolean;
  victimVulnerable: boolean;
}

/** A serial flag in the queue: enough to act on it without opening the subject. */
export interface TriageFlag {
  id: string;
  subjectId: string;
  /** the subject's short reference, e.g. S-7F3A */
  subjectReference: string;
  state: SerialFlagState;
  /** the candidate thefts' total */
  totalPence: number;
  /** how many candidate thefts the flag rests on */
  theftCount: number;
  /** the partnership's threshold when the flag was raised: each theft at or under it */
  thresholdPence: number;
  storeIds: string[];
  flaggedAt: Date;
}

/** A report in the queue: where, when and what. */
export interface TriageReport {
  id: string;
  storeId: string;
  storeName: string;
  occurredAt: Date;
  types: IncidentType[];
  weapon: WeaponKind;
  injury: InjuryLevel;
  valuePence: number;
}

/** One queue item; exactly one of `case`, `serialFlag`, `report` is set, as `kind` says. */
export interface TriageRow {
  kind: TriageItemKind;
  /** the case's, flag's or report's id */
  id: string;
  score: number;
  factors: TriageFactors;
  /** the reports it rests on (a flag: its bundle; a report: 1) and their total value */
  incidentCount: number;
  totalValuePence: number;
  case: PoliceCase | null;
  serialFlag: TriageFlag | null;
  report: TriageReport | null;
}

/** Points per factor: the score is their sum, and each scored factor is returned as a reason. */
export const PRIORITY_WEIGHTS = {
  violence: 25,
  weapon: 25,
  injury: 20,
  hate: 20,
  cctvClose: 20,
  prolific: 20,
  offenderDetained: 15,
  victimVulnerable: 15,
  statement: 5,
  exhibit: 5,
} as const;

/** Days before the recorder overwrites footage within which CCTV counts as urgent. */
export const CCTV_URGENT_DAYS = 7;

/** Report types that count as violence or threats against staff (a robbery is violence). */
export const VIOLENCE_TYPES: readonly IncidentType[] = [
  IncidentType.ViolenceInjury,
  IncidentType.ViolenceNoInjury,
  IncidentType.Robbery,
  IncidentType.Threat,
];

/** Report types that are hate-aggravated. */
export const HATE_TYPES: readonly IncidentType[] = [IncidentType.HateAggravatedAbuse];

/** Injuries beyond minor: enough by themselves to bring a report to triage. */
export const SERIOUS_INJURIES: readonly InjuryLevel[] = [
  InjuryLevel.FirstAid,
  InjuryLevel.Medical,
  InjuryLevel.Hospital,
  InjuryLevel.LifeChanging,
];

const sqlList = (values: readonly string[], type: string) =>
  `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::${type}[]`;

/**
 * The factor columns of one triage item (`f.*` of the triage query), over the reports `i` that
 * `source` (a `FROM` body: tables and `WHERE`) selects, and the item's own facts (SQL expressions).
 * A case's reports are its linked ones; a flag's, its bundle; a report, itself: so an item scores
 * what the case opened from it would score.
 */
export function triageFactorsSql(
  source: string,
  own: { offenderDetained: string; victimVulnerable: string; prolific: string },
): string {
  return `SELECT coalesce(bool_or(i.types && ${sqlList(VIOLENCE_TYPES, 'incident_type')}), false) AS violence,
                 coalesce(bool_or(i.injury <> 'none'), false) AS injury,
                 coalesce(bool_or(i.weapon <> 'none'), false) AS weapon,
                 coalesce(bool_or(i.types && ${sqlList(HATE_TYPES, 'incident_type')}), false) AS hate,
                 min(i.cctv_overwrite_on) FILTER (WHERE i.cctv_available AND i.cctv_overwrite_on >= current_date) AS cctv_overwrite_on,
                 count(i.id)::int AS incident_count,
                 coalesce(sum(i.value_pence), 0)::bigint AS total_value_pence,
                 ${own.offenderDetained} AS offender_detained,
                 ${own.victimVulnerable} AS victim_vulnerable,
                 ${own.prolific} AS prolific,
                 coalesce(bool_or(EXISTS (SELECT 1 FROM witness_statements s WHERE s.incident_id = i.id)), false) AS has_statement,
                 coalesce(bool_or(EXISTS (SELECT 1 FROM exhibits e WHERE e.incident_id = i.id)), false) AS has_exhibit
            FROM ${source}`;
}

/** A case's factors from its reports in memory (the pack, at build time), as triageFactorsSql has them. */
export function caseFactors(
  reports: {
    types: IncidentType[];
    injury: InjuryLevel;
    weapon: string;
    cctvAvailable: boolean;
    cctvOverwriteOn: string | null;
  }[],
  own: Pick<
    TriageFactors,
    'offenderDetained' | 'victimVulnerable' | 'prolific' | 'hasStatement' | 'hasExhibit'
  >,
  today: Date,
): TriageFactors {
  const day = today.toISOString().slice(0, 10);
  const overwrites = reports
    .filter((r) => r.cctvAvailable && r.cctvOverwriteOn && r.cctvOverwriteOn >= day)
    .map((r) => r.cctvOverwriteOn as string)
    .sort();
  return {
    ...own,
    violence: reports.some((r) => r.types.some((t) => VIOLENCE_TYPES.includes(t))),
    injury: reports.some((r) => r.injury !== InjuryLevel.None),
    weapon: reports.some((r) => r.weapon !== 'none'),
    hate: reports.some((r) => r.types.some((t) => HATE_TYPES.includes(t))),
    cctvOverwriteOn: overwrites[0] ?? null,
  };
}

/**
 * Whether a report on no case comes to triage by itself (SQL over the report's row `alias`): it
 * records violence or threats (robbery included), a weapon, an injury beyond minor, or
 * hate-aggravated abuse. A theft with nothing of these waits for a case or a serial flag. (Whether
 * staff detained the offender is not on the report; the officer records it when opening the case.)
 */
export function reportComesToTriageSql(alias: string): string {
  return `(${alias}.types && ${sqlList([...VIOLENCE_TYPES, ...HATE_TYPES], 'incident_type')}
        OR ${alias}.weapon <> 'none'
        OR ${alias}.injury = ANY(${sqlList(SERIOUS_INJURIES, 'injury_level')}))`;
}

/** The score in SQL, over the factor columns `f.*` of the triage query. */
export const PRIORITY_SCORE_SQL = `
  (CASE WHEN f.violence THEN ${PRIORITY_WEIGHTS.violence} ELSE 0 END
 + CASE WHEN f.weapon THEN ${PRIORITY_WEIGHTS.weapon} ELSE 0 END
 + CASE WHEN f.injury THEN ${PRIORITY_WEIGHTS.injury} ELSE 0 END
 + CASE WHEN f.hate THEN ${PRIORITY_WEIGHTS.hate} ELSE 0 END
 + CASE WHEN f.cctv_overwrite_on IS NOT NULL AND f.cctv_overwrite_on <= current_date + ${CCTV_URGENT_DAYS} THEN ${PRIORITY_WEIGHTS.cctvClose} ELSE 0 END
 + CASE WHEN f.prolific THEN ${PRIORITY_WEIGHTS.prolific} ELSE 0 END
 + CASE WHEN f.offender_detained THEN ${PRIORITY_WEIGHTS.offenderDetained} ELSE 0 END
 + CASE WHEN f.victim_vulnerable THEN ${PRIORITY_WEIGHTS.victimVulnerable} ELSE 0 END
 + CASE WHEN f.has_statement THEN ${PRIORITY_WEIGHTS.statement} ELSE 0 END
 + CASE WHEN f.has_exhibit THEN ${PRIORITY_WEIGHTS.exhibit} ELSE 0 END)`;

export interface PriorityReason {
  factor: string;
  points: number;
  text: string;
}

/** Why an item scores what it scores, one line per factor that counted. */
export function reasonsFor(
  r: Pick<TriageRow, 'kind' | 'factors' | 'serialFlag'>,
  today = new Date(),
): PriorityReason[] {
  const f = r.factors;
  const out: PriorityReason[] = [];
  const add = (factor: string, points: number, text: string) => out.push({ factor, points, text });
  if (f.violence) {
    add('violence', PRIORITY_WEIGHTS.violence, 'Violence or threats against staff');
  }
  if (f.weapon) {
    add('weapon', PRIORITY_WEIGHTS.weapon, 'A weapon was seen');
  }
  if (f.injury) {
    add('injury', PRIORITY_WEIGHTS.injury, 'Someone was injured');
  }
  if (f.hate) {
    add('hate', PRIORITY_WEIGHTS.hate, 'Hate-aggravated abuse');
  }
  if (f.cctvOverwriteOn) {
    const days = Math.round(
      (Date.parse(f.cctvOverwriteOn) - Date.parse(today.toISOString().slice(0, 10))) / 86_400_000,
    );
    if (days <= CCTV_URGENT_DAYS) {
      add(
        'cctv_overwrite',
        PRIORITY_WEIGHTS.cctvClose,
        `CCTV will be overwritten on ${f.cctvOverwriteOn} (in ${days} day(s))`,
      );
    }
  }
  if (f.prolific) {
    const flag = r.kind === TriageItemKind.SerialFlag ? r.serialFlag : null;
    add(
      'prolific',
      PRIORITY_WEIGHTS.prolific,
      flag
        ? `Serial offender: ${flag.theftCount} thefts of at most ${pounds(flag.thresholdPence)} each, together ${pounds(flag.totalPence)}`
        : 'Prolific or flagged subject (serial-offender flag)',
    );
  }
  if (f.offenderDetained) {
    add('offender_detained', PRIORITY_WEIGHTS.offenderDetained, 'Offender detained');
  }
  if (f.victimVulnerable) {
    add('victim_vulnerable', PRIORITY_WEIGHTS.victimVulnerable, 'Victim vulnerability');
  }
  if (f.hasStatement) {
    add('evidence_statement', PRIORITY_WEIGHTS.statement, 'Evidence: a signed witness statement is on file');
  }
  if (f.hasExhibit) {
    add('evidence_exhibit', PRIORITY_WEIGHTS.exhibit, 'Evidence: exhibits (CCTV, photos) are on file');
  }
  return out;
}

/** The keyset of the queue's order: (score, kind rank, id), all descending. */
export function encodeTriageCursor(score: number, kind: TriageItemKind, id: string): string {
  return Buffer.from(`${score}|${TRIAGE_KIND_RANK[kind]}|${id}`).toString('base64url');
}

export function decodeTriageCursor(cursor: string): [number, number, string] {
  const [score, rank, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (
    !/^\d+$/.test(score ?? '') ||
    !Object.values(TRIAGE_KIND_RANK).includes(Number(rank)) ||
    !/^\d$/.test(rank ?? '') ||
    !/^[0-9a-f-]{36}$/.test(id ?? '')
  ) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return [Number(score), Number(rank), id];
}
