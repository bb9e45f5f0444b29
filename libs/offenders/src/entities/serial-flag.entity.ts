import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { BaseRow } from '@app/database';
import { Subject } from './subject.entity';

/** new -> reviewed -> case_opened | dismissed; `withdrawn` when the links no longer meet the rule. */
export enum SerialFlagState {
  New = 'new',
  Reviewed = 'reviewed',
  CaseOpened = 'case_opened',
  Dismissed = 'dismissed',
  Withdrawn = 'withdrawn',
}

/** The rule and its inputs, for reproducibility. */
export interface SerialFlagRule {
  jurisdiction: string;
  thresholdPence: number;
  windowDays: number;
  minIncidents: number;
  s22aRuleId: string | null;
  repealCommencesOn: string | null;
}

/** A subject whose thefts are each at or under the threshold but together exceed it. */
@Entity('serial_flags')
@Index('serial_flags_partnership_id_created_at_idx', ['partnershipId', 'createdAt'])
@Index('serial_flags_subject_id_idx', ['subjectId'])
@Index('serial_flags_open_idx', ['subjectId'], { unique: true, where: `state IN ('new', 'reviewed')` })
// the target of tenant-carrying references (cases.serial_flag_id)
@Unique('serial_flags_partnership_id_id_key', ['partnershipId', 'id'])
export class SerialFlag extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  subjectId: string;

  @ManyToOne(() => Subject, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_id', foreignKeyConstraintName: 'serial_flags_subject_id_fkey' })
  subject?: Subject;

  @Column({ type: 'enum', enum: SerialFlagState, enumName: 'serial_flag_state' })
  state: SerialFlagState;

  /** the candidate thefts in the window, oldest first */
  @Column('uuid', { array: true })
  incidentIds: string[];

  @Column('bigint')
  totalPence: string;

  /** the smallest oldest-first prefix of the bundle whose total crosses the threshold */
  @Column('uuid', { array: true })
  crossingIncidentIds: string[];

  @Column('bigint')
  crossingTotalPence: string;

  /** thefts in the window over the threshold: already either-way, listed apart */
  @Column('uuid', { array: true, default: () => "'{}'" })
  overThresholdIncidentIds: string[];

  @Column('uuid', { array: true })
  storeIds: string[];

  @Column('timestamptz')
  windowFrom: Date;

  @Column('timestamptz')
  windowTo: Date;

  /** whether s.22A's low-value threshold applies to every theft in the bundle */
  @Column('boolean')
  thresholdApplies: boolean;

  @Column('text')
  legalConsequence: string;

  @Column('jsonb')
  rule: SerialFlagRule;

  @Column('uuid', { nullable: true })
  alertId: string | null;

  @Column('uuid', { nullable: true })
  decidedBy: string | null;

  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Column('text', { nullable: true })
  decisionNote: string | null;
}
