import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IncidentTrigger, IncidentType, InjuryLevel, WeaponKind } from '@app/incidents';

/**
 * A change to the statistics not yet folded into the rollups: a trigger on `incidents` writes +1
 * with a counted report's measured columns when it is filed, and on an amendment or status change
 * -1 with the old values and +1 with the new. The worker takes these rows and adds them to the
 * rollup cells in the same transaction, so each change counts exactly once.
 */
@Entity('stats_pending')
// a fold takes its partnership's oldest changes as one range of this index
@Index('stats_pending_partnership_id_idx', ['partnershipId', 'id'])
@Check('stats_pending_sign_check', 'sign IN (-1, 1)')
export class StatsPending {
  /** sequential, so the queue's index grows at one end */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  partnershipId: string;

  /** +1 adds the report's contribution, -1 takes back a previous one */
  @Column('smallint')
  sign: number;

  @Column('uuid')
  storeId: string;

  @Column('timestamptz')
  occurredAt: Date;

  @Column({ type: 'enum', enum: IncidentType, enumName: 'incident_type', array: true })
  types: IncidentType[];

  @Column({ type: 'enum', enum: IncidentTrigger, enumName: 'incident_trigger', array: true })
  triggers: IncidentTrigger[];

  @Column({ type: 'enum', enum: WeaponKind, enumName: 'weapon_kind' })
  weapon: WeaponKind;

  @Column({ type: 'enum', enum: InjuryLevel, enumName: 'injury_level' })
  injury: InjuryLevel;

  @Column('boolean')
  policeReported: boolean;

  @Column('boolean')
  policeAttended: boolean;

  @Column('bigint')
  valuePence: string;
}
