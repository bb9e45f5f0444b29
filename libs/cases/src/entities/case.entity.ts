import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { BaseRow } from '@app/database';
import { Incident } from '@app/incidents';
import { Partnership, Store } from '@app/partnerships';
import { SerialFlag, Subject } from '@app/offenders';
import { User } from '@app/identity';

/**
 * new -> in_triage -> evidence_requested -> ready_for_cps | charged; no_further_action,
 * community_resolution; charged -> court_outcome. Every change is a case_history row.
 */
export enum CaseStatus {
  New = 'new',
  InTriage = 'in_triage',
  EvidenceRequested = 'evidence_requested',
  ReadyForCps = 'ready_for_cps',
  Charged = 'charged',
  NoFurtherAction = 'no_further_action',
  CommunityResolution = 'community_resolution',
  CourtOutcome = 'court_outcome',
}

export enum CaseOrigin {
  Incident = 'incident',
  SerialFlag = 'serial_flag',
}

/** A police case built from one incident or from a serial-offender flag's bundle of incidents. */
@Entity('cases')
@Index('cases_partnership_id_reference_idx', ['partnershipId', 'reference'], { unique: true })
@Index('cases_partnership_id_status_idx', ['partnershipId', 'status'])
@Index('cases_partnership_id_assigned_officer_id_idx', ['partnershipId', 'assignedOfficerId'])
// full-text search (reference and title), created by hand in the AddSearchIndexes migration
@Index('cases_search_idx', { synchronize: false })
export class PoliceCase extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'cases_partnership_id_fkey' })
  partnership?: Partnership;

  /** e.g. C-7F3A09B2: short enough to say on the phone */
  @Column('text')
  reference: string;

  @Column({ type: 'enum', enum: CaseStatus, enumName: 'case_status' })
  status: CaseStatus;

  @Column({ type: 'enum', enum: CaseOrigin, enumName: 'case_origin' })
  origin: CaseOrigin;

  /** the serial-offender flag it was opened from (serial_flags.id) */
  @Column('uuid', { nullable: true })
  serialFlagId: string | null;

  // references carry their partnership (composite keys), so they cannot cross partnerships
  @ManyToOne(() => SerialFlag, { onDelete: 'NO ACTION' })
  @JoinColumn([
    {
      name: 'partnership_id',
      referencedColumnName: 'partnershipId',
      foreignKeyConstraintName: 'cases_serial_flag_id_fkey',
    },
    {
      name: 'serial_flag_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'cases_serial_flag_id_fkey',
    },
  ])
  serialFlag?: Relation<SerialFlag>;

  /** the subject (subjects.id), when known */
  @Column('uuid', { nullable: true })
  subjectId: string | null;

  @ManyToOne(() => Subject, { onDelete: 'NO ACTION' })
  @JoinColumn([
    {
      name: 'partnership_id',
      referencedColumnName: 'partnershipId',
      foreignKeyConstraintName: 'cases_subject_id_fkey',
    },
    { name: 'subject_id', referencedColumnName: 'id', foreignKeyConstraintName: 'cases_subject_id_fkey' },
  ])
  subject?: Relation<Subject>;

  @Column('text')
  title: string;

  @Column('uuid', { nullable: true })
  assignedOfficerId: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assigned_officer_id', foreignKeyConstraintName: 'cases_assigned_officer_id_fkey' })
  assignedOfficer?: User;

  @Column('boolean', { default: false })
  offenderDetained: boolean;

  @Column('boolean', { default: false })
  victimVulnerable: boolean;

  /** charge or first-appearance date: the key date of proceedings-dated rules */
  @Column('date', { nullable: true })
  proceedingsDate: string | null;

  /** the outcome in plain words, as sent to the store and the victim */
  @Column('text', { nullable: true })
  outcomePlain: string | null;

  @Column('uuid')
  openedBy: string;
}

@Entity('case_incidents')
@Index('case_incidents_case_id_incident_id_idx', ['caseId', 'incidentId'], { unique: true })
@Index('case_incidents_incident_id_idx', ['incidentId'])
export class CaseIncident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => PoliceCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_incidents_case_id_fkey' })
  case?: PoliceCase;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'case_incidents_incident_id_fkey' })
  incident?: Incident;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Who changed what on a case, and why (insert-only). */
@Entity('case_history')
@Index('case_history_case_id_created_at_idx', ['caseId', 'createdAt'])
export class CaseHistoryEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => PoliceCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_history_case_id_fkey' })
  case?: PoliceCase;

  /** 'status' or 'assignment' */
  @Column('text')
  kind: string;

  @Column({ type: 'enum', enum: CaseStatus, enumName: 'case_status', nullable: true })
  fromStatus: CaseStatus | null;

  @Column({ type: 'enum', enum: CaseStatus, enumName: 'case_status' })
  toStatus: CaseStatus;

  @Column('uuid', { nullable: true })
  assignedOfficerId: string | null;

  @Column('text')
  reason: string;

  /** what the store and the victim are told, in plain words (null: nothing to tell) */
  @Column('text', { nullable: true })
  plainWords: string | null;

  @Column('uuid')
  changedBy: string;

  @Column('text')
  changedByKind: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export enum EvidenceRequestKind {
  Statement = 'statement',
  Cctv = 'cctv',
  ImpactStatement = 'impact_statement',
}

export enum EvidenceRequestStatus {
  Open = 'open',
  Answered = 'answered',
  Declined = 'declined',
}

/** Police asking a store for a statement, CCTV or an impact statement; the store answers. */
@Entity('case_evidence_requests')
@Index('case_evidence_requests_case_id_created_at_idx', ['caseId', 'createdAt'])
@Index('case_evidence_requests_store_id_status_created_at_idx', ['storeId', 'status', 'createdAt'])
export class CaseEvidenceRequest extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => PoliceCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_evidence_requests_case_id_fkey' })
  case?: PoliceCase;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'case_evidence_requests_incident_id_fkey' })
  incident?: Incident;

  @Column('uuid')
  storeId: string;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id', foreignKeyConstraintName: 'case_evidence_requests_store_id_fkey' })
  store?: Store;

  @Column({ type: 'enum', enum: EvidenceRequestKind, enumName: 'evidence_request_kind' })
  kind: EvidenceRequestKind;

  @Column('text')
  message: string;

  @Column('date', { nullable: true })
  dueOn: string | null;

  @Column({ type: 'enum', enum: EvidenceRequestStatus, enumName: 'evidence_request_status' })
  status: EvidenceRequestStatus;

  @Column('uuid')
  requestedBy: string;

  @Column('uuid', { nullable: true })
  answeredBy: string | null;

  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;

  @Column('text', { nullable: true })
  answerText: string | null;

  /** for impact statements: 'isb' (business) or 'vps' (victim) */
  @Column('text', { nullable: true })
  impactKind: string | null;

  /** who made the impact statement (authorised representative or victim) */
  @Column('text', { nullable: true })
  impactMadeBy: string | null;

  /** exhibits and statements the answer points at (on the request's incident) */
  @Column('uuid', { array: true, default: () => "'{}'" })
  exhibitIds: string[];

  @Column('uuid', { array: true, default: () => "'{}'" })
  statementIds: string[];
}

/**
 * The case's continuity log: h_i = SHA-256(canonical_json(entry_i) || h_(i-1)), one chain per
 * case. The app role may INSERT and SELECT only; a trigger refuses a row whose seq or prev_hash
 * does not continue the chain.
 */
@Entity('case_continuity')
@Index('case_continuity_case_id_seq_idx', ['caseId', 'seq'], { unique: true })
export class CaseContinuityEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => PoliceCase, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_continuity_case_id_fkey' })
  case?: PoliceCase;

  @Column('int')
  seq: number;

  @Column('timestamptz')
  at: Date;

  @Column('uuid')
  actorId: string;

  @Column('text')
  actorKind: string;

  @Column('text')
  action: string;

  @Column('text')
  objectType: string;

  @Column('text', { nullable: true })
  objectId: string | null;

  @Column('text', { nullable: true })
  sha256: string | null;

  @Column('jsonb')
  details: Record<string, string | number | boolean | null>;

  @Column('text')
  prevHash: string;

  @Column('text')
  hash: string;
}

export enum PackStatus {
  Queued = 'queued',
  Building = 'building',
  Ready = 'ready',
  Failed = 'failed',
  Expired = 'expired',
}

/** One build of a case's evidence pack; the ZIP is kept in the object storage until it expires. */
@Entity('evidence_packs')
@Index('evidence_packs_case_id_created_at_idx', ['caseId', 'createdAt'])
@Index('evidence_packs_status_expires_at_idx', ['status', 'expiresAt'])
export class EvidencePack extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => PoliceCase, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'evidence_packs_case_id_fkey' })
  case?: PoliceCase;

  @Column({ type: 'enum', enum: PackStatus, enumName: 'pack_status' })
  status: PackStatus;

  @Column('uuid')
  requestedBy: string;

  @Column('int', { default: 0 })
  progressDone: number;

  @Column('int', { default: 0 })
  progressTotal: number;

  @Column('text', { nullable: true })
  stage: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('text', { nullable: true })
  sha256: string | null;

  @Column('bigint', { nullable: true })
  sizeBytes: string | null;

  @Column('int', { nullable: true })
  fileCount: number | null;

  /** its key in the object storage (packs/<partnership>/<id>.zip) */
  @Column('text', { nullable: true })
  storagePath: string | null;

  @Column('int', { nullable: true })
  checkpointSeq: number | null;

  @Column('text', { nullable: true })
  checkpointHash: string | null;

  @Column('text', { nullable: true })
  keyFingerprint: string | null;

  /** the builder process's peak RSS, for the E2 benchmark */
  @Column('bigint', { nullable: true })
  builderMaxRssBytes: string | null;

  @Column('int', { nullable: true })
  buildMs: number | null;

  @Column('timestamptz', { nullable: true })
  readyAt: Date | null;

  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;
}
