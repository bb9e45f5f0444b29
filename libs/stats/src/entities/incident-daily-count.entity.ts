import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IncidentType } from '@app/incidents';

/**
 * Aggregation effect: reports per partnership, store, London day and type, recomputed by the
 * worker. The unique key makes a replayed job a no-op.
 */
@Entity('incident_daily_counts')
@Index(
  'incident_daily_counts_partnership_id_store_id_day_type_idx',
  ['partnershipId', 'storeId', 'day', 'type'],
  { unique: true },
)
export class IncidentDailyCount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  storeId: string;

  @Column('date')
  day: string;

  @Column({ type: 'enum', enum: IncidentType, enumName: 'incident_type' })
  type: IncidentType;

  @Column('int')
  count: number;

  /** numeric: a store-day's sum of reports valued up to 2e15 pence each can pass bigint */
  @Column('numeric', { default: 0 })
  valuePence: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
