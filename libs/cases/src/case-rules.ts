import { DomainError, ErrorCode } from '@app/errors';
import { type CaseOrigin, CaseStatus, type PoliceCase } from './entities/case.entity';

// The case's pure rules: its state machine, what the store is told, and the triage score.

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
}

/** The factors behind a case's priority score, as computed by the triage query. */
export interface TriageFactors {
  violence: boolean;
  injury: boolean;
  weapon: boolean;
  offenderDetained: boolean;
  cctvOverwriteOn: string | null;
  prolific: boolean;
  hasStatement: boolean;
  hasExhibit: boolean;
  victimVulnerable: boolean;
}

export interface TriageRow {
  case: PoliceCase;
  score: number;
  factors: TriageFactors;
  incidentCount: number;
  totalValuePence: number;
}

/** Points per factor: the score is their sum, and each scored factor is returned as a reason. */
export const PRIORITY_WEIGHTS = {
  violence: 25,
  weapon: 25,
  injury: 20,
  cctvClose: 20,
  prolific: 20,
  offenderDetained: 15,
  victimVulnerable: 15,
  statement: 5,
  exhibit: 5,
} as const;

/** Days before the recorder overwrites footage within which CCTV counts as urgent. */
export const CCTV_URGENT_DAYS = 7;

/** The score in SQL, over the factor columns `f.*` of the triage query. */
export const PRIORITY_SCORE_SQL = `
  (CASE WHEN f.violence THEN ${PRIORITY_WEIGHTS.violence} ELSE 0 END
 + CASE WHEN f.weapon THEN ${PRIORITY_WEIGHTS.weapon} ELSE 0 END
 + CASE WHEN f.injury THEN ${PRIORITY_WEIGHTS.injury} ELSE 0 END
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

/** Why a case scores what it scores, one line per factor that counted. */
export function reasonsFor(r: TriageRow, today = new Date()): PriorityReason[] {
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
    add('prolific', PRIORITY_WEIGHTS.prolific, 'Prolific or flagged subject (serial-offender flag)');
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

export function encodeTriageCursor(score: number, id: string): string {
  return Buffer.from(`${score}|${id}`).toString('base64url');
}

export function decodeTriageCursor(cursor: string): [number, string] {
  const [score, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!/^\d+$/.test(score ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return [Number(score), id];
}
