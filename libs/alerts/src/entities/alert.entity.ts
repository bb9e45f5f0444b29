import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership, Store } from '@app/partnerships';
import { Subject } from '@app/offenders';
import { TalkGroup } from './talk-group.entity';

export enum AlertType {
  OffenderSighted = 'offender_sighted',
  AssistanceRequested = 'assistance_requested',
  AllClear = 'all_clear',
  Information = 'information',
}

/** `emergency` is reserved for requests for assistance (distinct sound on the client). */
export enum AlertPriority {
  Emergency = 'emergency',
  High = 'high',
  Normal = 'normal',
  Low = 'low',
}

export enum AlertTarget {
  /** the partnership-wide channel */
  Partnership = 'partnership',
  TalkGroup = 'talk_group',
  Store = 'store',
}

/**
 * A radio alert. Stored before it is sent; `seq` comes from the partnership's counter row in the
 * same transaction, so per-partnership order is commit order and has no gaps. Immutable.
 */
@Entity('alerts')
@Index('alerts_partnership_id_seq_idx', ['partnershipId', 'seq'], { unique: true })
@Index('alerts_talk_group_id_idx', ['talkGroupId'])
@Index('alerts_store_id_idx', ['storeId'])
@Check(
  'alerts_target_chk',
  `(target_kind = 'partnership' AND talk_group_id IS NULL AND store_id IS NULL)
   OR (target_kind = 'talk_group' AND talk_group_id IS NOT NULL AND store_id IS NULL)
   OR (target_kind = 'store' AND store_id IS NOT NULL AND talk_group_id IS NULL)`,
)
export class Alert extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'alerts_partnership_id_fkey' })
  partnership?: Partnership;

  /** per-partnership, gapless, commit order (bigint, so a string in JS) */
  @Column('bigint')
  seq: string;

  @Column({ type: 'enum', enum: AlertType, enumName: 'alert_type' })
  type: AlertType;

  @Column({ type: 'enum', enum: AlertPriority, enumName: 'alert_priority' })
  priority: AlertPriority;

  @Column('text')
  message: string;

  /** the offender profile sighted; its image is fetched separately by authorised members */
  @Column('uuid', { nullable: true })
  offenderProfileId: string | null;

  // composite with partnership_id, so the database refuses another partnership's subject
  // (Relation<>: subject.entity imports this file, so the type must not be emitted as metadata)
  @ManyToOne(() => Subject, { onDelete: 'NO ACTION' })
  @JoinColumn([
    {
      name: 'partnership_id',
      referencedColumnName: 'partnershipId',
      foreignKeyConstraintName: 'alerts_offender_profile_id_fkey',
    },
    {
      name: 'offender_profile_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'alerts_offender_profile_id_fkey',
    },
  ])
  offenderProfile?: Relation<Subject>;

  @Column({ type: 'enum', enum: AlertTarget, enumName: 'alert_target' })
  targetKind: AlertTarget;

  @Column('uuid', { nullable: true })
  talkGroupId: string | null;

  @ManyToOne(() => TalkGroup, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'talk_group_id', foreignKeyConstraintName: 'alerts_talk_group_id_fkey' })
  talkGroup?: TalkGroup;

  @Column('uuid', { nullable: true })
  storeId: string | null;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id', foreignKeyConstraintName: 'alerts_store_id_fkey' })
  store?: Store;

  /** the stores it was sent to when raised: who is expected to acknowledge */
  @Column('uuid', { array: true, default: () => "'{}'" })
  recipientStoreIds: string[];

  /** user or device id; null when raised by the system (e.g. a serial-offender flag) */
  @Column('uuid', { nullable: true })
  senderId: string | null;

  /** 'user', 'device' or 'system' */
  @Column('text')
  senderKind: string;

  @Column('uuid', { nullable: true })
  senderStoreId: string | null;

  @Column('timestamptz')
  expiresAt: Date;
}
