import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Partnership } from '@app/partnerships';

/** A partnership's radio settings; a missing row means the defaults. */
@Entity('radio_settings')
export class RadioSettings {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'radio_settings_partnership_id_fkey' })
  partnership?: Partnership;

  /** whether shops may raise alerts to their talk groups (coordinators always may) */
  @Column('boolean', { default: false })
  shopsMayRaise: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
