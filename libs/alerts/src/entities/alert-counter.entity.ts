import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Partnership } from '@app/partnerships';

/**
 * The partnership's last alert sequence number. Raising an alert increments it in the alert's
 * transaction (the row lock serialises raisers), so `alerts.seq` is gapless and in commit order.
 */
@Entity('alert_counters')
export class AlertCounter {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'alert_counters_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('bigint', { default: 0 })
  lastSeq: string;
}
