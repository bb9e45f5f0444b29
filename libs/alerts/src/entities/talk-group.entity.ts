import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership } from '@app/partnerships';

/** A radio talk group (a town centre, the night-time economy, a shopping centre) of member stores. */
@Entity('talk_groups')
@Index('talk_groups_partnership_id_name_idx', ['partnershipId', 'name'], { unique: true })
export class TalkGroup extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'talk_groups_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('text')
  name: string;

  @Column('uuid')
  createdBy: string;
}
