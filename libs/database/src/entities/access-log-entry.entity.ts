import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The personal-data operations DPA 2018 s.62 requires a log of. */
export enum AccessAction {
  Collect = 'collect',
  Consult = 'consult',
  Alter = 'alter',
  Disclose = 'disclose',
  Combine = 'combine',
  Erase = 'erase',
}

/**
 * One row per personal-data operation, hash-chained per partnership by a trigger. The app's role
 * may INSERT and SELECT only.
 */
@Entity('access_log')
@Index('access_log_partnership_id_seq_idx', ['partnershipId', 'seq'], { unique: true })
@Index('access_log_object_idx', ['objectType', 'objectId'])
export class AccessLogEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  /** position in the partnership's chain, set by the trigger */
  @Column('bigint')
  seq: string;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text')
  actorKind: string;

  @Column({ type: 'enum', enum: AccessAction, enumName: 'access_action' })
  action: AccessAction;

  @Column('text')
  objectType: string;

  @Column('uuid', { nullable: true })
  objectId: string | null;

  /** recipients of a disclosure */
  @Column('text', { array: true, default: () => "'{}'" })
  recipients: string[];

  @Column('text', { nullable: true })
  justification: string | null;

  @Column('text')
  requestId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('text')
  prevHash: string;

  @Column('text')
  hash: string;
}
