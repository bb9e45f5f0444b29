import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Partnership, Store } from '@app/partnerships';
import { TalkGroup } from './talk-group.entity';

/** A store's membership of a talk group. */
@Entity('talk_group_stores')
export class TalkGroupStore {
  @PrimaryColumn('uuid')
  talkGroupId: string;

  @ManyToOne(() => TalkGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'talk_group_id', foreignKeyConstraintName: 'talk_group_stores_talk_group_id_fkey' })
  talkGroup?: TalkGroup;

  @Index('talk_group_stores_store_id_idx')
  @PrimaryColumn('uuid')
  storeId: string;

  @ManyToOne(() => Store, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'store_id', foreignKeyConstraintName: 'talk_group_stores_store_id_fkey' })
  store?: Store;

  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'partnership_id',
    foreignKeyConstraintName: 'talk_group_stores_partnership_id_fkey',
  })
  partnership?: Partnership;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
