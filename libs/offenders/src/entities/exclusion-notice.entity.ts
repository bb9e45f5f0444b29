import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Subject } from './subject.entity';

export enum AppealStatus {
  None = 'none',
  Lodged = 'lodged',
  Decided = 'decided',
}

export enum AppealOutcome {
  Upheld = 'upheld',
  Overturned = 'overturned',
  Varied = 'varied',
}

/**
 * A scheme's ban from member premises, served on a subject. Applies while served, unexpired (read
 * against the clock) and not overturned on appeal. Proof of service is a content-addressed evidence
 * master: being subject to a banning order is a sentencing factor (brief 4.5).
 */
@Entity('exclusion_notices')
@Index('exclusion_notices_subject_id_idx', ['subjectId'])
@Index('exclusion_notices_partnership_id_expires_at_idx', ['partnershipId', 'expiresAt'])
export class ExclusionNotice extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  subjectId: string;

  @ManyToOne(() => Subject, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_id', foreignKeyConstraintName: 'exclusion_notices_subject_id_fkey' })
  subject?: Subject;

  /** the stores it covers (empty when it covers an area) */
  @Column('uuid', { array: true, default: () => "'{}'" })
  storeIds: string[];

  /** the area it covers, e.g. "Town centre BID area" */
  @Column('text', { nullable: true })
  area: string | null;

  @Column('text')
  reason: string;

  @Column('uuid', { array: true, default: () => "'{}'" })
  incidentIds: string[];

  @Column('timestamptz')
  servedAt: Date;

  @Column('text')
  servedByName: string;

  /** in person, post, ... */
  @Column('text')
  serviceMethod: string;

  /** 'acknowledged', 'refused' or null when unknown */
  @Column('text', { nullable: true })
  acknowledgement: string | null;

  /** SHA-256 of the proof of service (an evidence master) */
  @Column('text', { nullable: true })
  proofSha256: string | null;

  @Column('timestamptz')
  expiresAt: Date;

  @Column({ type: 'enum', enum: AppealStatus, enumName: 'appeal_status', default: AppealStatus.None })
  appealStatus: AppealStatus;

  @Column({ type: 'enum', enum: AppealOutcome, enumName: 'appeal_outcome', nullable: true })
  appealOutcome: AppealOutcome | null;

  @Column('timestamptz', { nullable: true })
  appealDecidedAt: Date | null;

  @Column('text', { nullable: true })
  appealNote: string | null;

  @Column('uuid')
  issuedBy: string;
}
