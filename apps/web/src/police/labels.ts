import type { CaseStatus, EvidenceKind, TriageFlag } from '../api/types';

export const CASE_STATUS: Record<CaseStatus, string> = {
  new: 'New',
  in_triage: 'In triage',
  evidence_requested: 'Evidence requested',
  ready_for_cps: 'Ready for CPS',
  charged: 'Charged',
  no_further_action: 'No further action',
  community_resolution: 'Community resolution',
  court_outcome: 'Court outcome',
};

/** A serial flag's state as police see it in the queue (only new and reviewed flags are there). */
export const TRIAGE_FLAG_STATE: Record<TriageFlag['state'], string> = {
  new: 'New flag',
  reviewed: 'Reviewed by the partnership',
  case_opened: 'Case opened',
  dismissed: 'Dismissed',
  withdrawn: 'Withdrawn',
};

export const KINDS: [EvidenceKind, string][] = [
  ['statement', 'Witness statement'],
  ['cctv', 'CCTV'],
  ['impact_statement', 'Impact statement (ISB or VPS)'],
];
export const kindLabel = (k: string) => KINDS.find(([v]) => v === k)?.[1] ?? k;
