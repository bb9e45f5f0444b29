import type { SignedContentJson } from '@app/incidents';
import type { StorageSettings } from '@app/storage';
import type { ChainedEntry } from './chain';

/**
 * Everything the pack builder needs, as plain JSON: it crosses into a separate process, so no
 * entities, connections or streams. Exhibit bytes are read there, from the object storage `storage`
 * describes (by `sourceKey`), as they zip.
 */
export interface PackPlan {
  packId: string;
  caseId: string;
  caseReference: string;
  /**
   * where the finished ZIP goes on local disk (written to `${outPath}.part` first, then renamed);
   * the worker then puts it in the object storage
   */
  outPath: string;
  /** the object storage holding the masters (its settings: the child opens its own client) */
  storage: StorageSettings;
  signingKeyPath: string;
  generatedAt: string;
  /** what built the pack (generatorName): named in every PDF, the manifest and VERIFY.md */
  generator: string;
  partnership: { name: string; policeForceArea: string; jurisdiction: string };
  summary: CaseSummary;
  statements: StatementDoc[];
  impactStatements: ImpactDoc[];
  exhibits: ExhibitFile[];
  continuity: ChainedEntry[];
}

export interface CaseSummary {
  reference: string;
  status: string;
  openedAt: string;
  openedFrom: string;
  officer: string | null;
  crimeReferences: string[];
  offences: OffenceRow[];
  subject: SubjectSummary | null;
  /** one row per act of each linked report, oldest report first */
  schedule: ScheduleRow[];
  thresholdPence: number;
  exclusions: ExclusionRow[];
  /** per report: what was taken, recovered and damaged, and who bore the loss (MG19) */
  compensation: CompensationRow[];
  rules: RuleRow[];
  priorityReasons: string[];
  evidenceList: string[];
  notes: string[];
}

/** A suggested offence with the dates (YYYY-MM-DD) and schedule rows it rests on. */
export interface OffenceRow {
  title: string;
  provision: string;
  basis: string;
  dates: string[];
  rows: number[];
  law: string[];
}

export interface CompensationRow {
  occurredAt: string;
  storeName: string;
  /** the member business that owns the store */
  loser: string;
  takenPence: number;
  recoveredPence: number;
  damagedPence: number;
  /** taken, less recovered, plus damaged */
  lossPence: number;
}

export interface SubjectSummary {
  displayName: string;
  description: string | null;
  flags: string[];
}

export interface ScheduleRow {
  row: number;
  incidentId: string;
  occurredAt: string;
  storeName: string;
  /** the act in words, e.g. "Theft from a shop", "Assault (injury: first aid)" */
  act: string;
  items: string;
  /** shop thefts only: the value and the running total of shop-theft values */
  valuePence: number | null;
  runningTotalPence: number | null;
  crimeReference: string | null;
  isTheft: boolean;
}

export interface ExclusionRow {
  premises: string;
  termFrom: string;
  termTo: string | null;
  servedAt: string | null;
  servedBy: string | null;
  method: string | null;
  acknowledgement: string | null;
  reference: string | null;
}

export interface RuleRow {
  code: string;
  title: string;
  source: string;
  /** YYYY-MM-DD; null while not commenced */
  effectiveFrom: string | null;
  keyDate: string;
  appliedAs: string;
}

/** An MG11 in the pack: the signed content as the API shows it (always acknowledged), with where it sits. */
export interface StatementDoc extends Omit<SignedContentJson, 'declarationAcknowledged'> {
  /** the file name under statements/ (safe characters only) */
  fileName: string;
  incidentId: string;
  statementId: string;
  version: number;
  supersedesId: string | null;
  contentSha256: string;
  crimeReference: string | null;
  /** the report's exhibits this witness produced, from the evidence records (not the signed text) */
  exhibitsProduced: { reference: string; packPath: string; mediaType: string; capturedAt: string | null }[];
}

export interface ImpactDoc {
  fileName: string;
  /** 'isb' (Impact Statement for Business) or 'vps' (Victim Personal Statement) */
  kind: 'isb' | 'vps';
  /** the impact statement's id, or the police request it answered */
  sourceId: string;
  /** how it was given, e.g. "with the report" or "in answer to a police request" */
  given: string;
  madeBy: string;
  madeAt: string;
  text: string;
}

export interface ExhibitFile {
  /** e.g. JS/1 */
  reference: string;
  /** the path in the pack, e.g. exhibits/JS-1.jpg */
  packPath: string;
  incidentId: string;
  exhibitId: string;
  /** the master's key in the object storage */
  sourceKey: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  originalName: string | null;
  producerName: string;
  capturedAt: string | null;
  clockOffsetSeconds: number | null;
  uploadedAt: string;
}

export interface PackFileRecord {
  path: string;
  sha256: string;
  size: number;
  kind: string;
  exhibitReference?: string;
}

/** What the builder reports back. */
export interface PackResult {
  sha256: string;
  sizeBytes: number;
  fileCount: number;
  files: PackFileRecord[];
  /** peak resident set of the builder process, bytes */
  maxRssBytes: number;
  /** the lowest nice value (highest CPU priority) among the builder's threads as it finished */
  nice: number;
  publicKeyFingerprint: string;
  checkpoint: Checkpoint;
}

export interface Checkpoint {
  case_id: string;
  pack_id: string;
  seq: number;
  head_hash: string;
  signed_at: string;
  key_fingerprint: string;
}

export type PackProgress = { type: 'progress'; done: number; total: number; stage: string };
