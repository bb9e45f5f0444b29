import type { CaseStatus, EvidenceKind } from '../api/types';

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

export const KINDS: [EvidenceKind, string][] = [
  ['statement', 'Witness statement'],
  ['cctv', 'CCTV'],
  ['impact_statement', 'Impact statement (ISB or VPS)'],
];
export const kindLabel = (k: string) => KINDS.find(([v]) => v === k)?.[1] ?? k;
