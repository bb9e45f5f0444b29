import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Incident } from './incident.entity';

/** 'isb': Impact Statement for Business; 'vps': Victim Personal Statement. */
export enum ImpactKind {
  Business = 'isb',
  Victim = 'vps',
}

/**
 * An impact statement given with a report (the police may also ask for one on a case). Kept as
 * given: the app role may only INSERT and SELECT.
 */
@Entity('impact_statements')
@Index('impact_statements_incident_id_idx', ['incidentId'])
export class ImpactStatement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'impact_statements_incident_id_fkey' })
  incident?: Incident;

  @Column({ type: 'enum', enum: ImpactKind, enumName: 'impact_kind' })
  kind: ImpactKind;

  /** the business's authorised representative (ISB) or the victim (VPS) */
  @Column('text')
  madeBy: string;

  @Column('text')
  text: string;

  @Column('uuid', { nullable: true })
  recordedBy: string | null;

  @Column('text')
  recordedByKind: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
