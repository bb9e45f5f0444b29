import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Alert } from './alert.entity';
import { Partnership } from '@app/partnerships';

/** One acknowledgement of an alert by one actor (a tablet, a shop user, a coordinator). */
@Entity('alert_acks')
@Index('alert_acks_alert_id_actor_id_idx', ['alertId', 'actorId'], { unique: true })
export class AlertAck {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'alert_acks_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('uuid')
  alertId: string;

  @ManyToOne(() => Alert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'alert_acks_alert_id_fkey' })
  alert?: Alert;

  @Column('uuid')
  actorId: string;

  @Column('text')
  actorKind: string;

  /** the acknowledging store, for shop roles and tablets */
  @Column('uuid', { nullable: true })
  storeId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
