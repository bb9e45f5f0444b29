import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership } from './partnership.entity';

/** A business that is a member of the partnership (it may run several stores). */
@Entity('member_businesses')
export class MemberBusiness extends BaseRow {
  @Index('member_businesses_partnership_id_idx')
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'member_businesses_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('text')
  name: string;
}
