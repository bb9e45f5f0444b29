import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { IncidentType } from '@app/incidents';

/**
 * Aggregation effect: reports per partnership, store, London day and type, added to by the
 * worker's folds. Keyed by those four (the folds' conflict target; no surrogate id).
 */
@Entity('incident_daily_counts')
export class IncidentDailyCount {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @PrimaryColumn('uuid')
  storeId: string;

  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn({ type: 'enum', enum: IncidentType, enumName: 'incident_type' })
  type: IncidentType;

  @Column('int')
  count: number;

  /** numeric: a store-day's sum of reports valued up to 2e15 pence each can pass bigint */
  @Column('numeric', { default: 0 })
  valuePence: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
