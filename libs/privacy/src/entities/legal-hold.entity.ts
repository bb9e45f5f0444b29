import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Partnership } from '@app/partnerships';

/**
 * A legal hold: while it exists, retention never erases the record it names (litigation, a police
 * request to preserve, a subject access request being answered). Removing a hold is a decision of
 * its own; retention then erases the record on its next run.
 */
@Entity('legal_holds')
@Index('legal_holds_partnership_id_object_type_object_id_idx', ['partnershipId', 'objectType', 'objectId'], {
  unique: true,
})
export class LegalHold {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'legal_holds_partnership_id_fkey' })
  partnership?: Partnership;

  /** a retention record kind: 'incident' or 'alert' */
  @Column('text')
  objectType: string;

  @Column('uuid')
  objectId: string;

  @Column('text')
  reason: string;

  @Column('uuid', { nullable: true })
  placedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
