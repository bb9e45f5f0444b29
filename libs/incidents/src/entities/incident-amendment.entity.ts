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

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** Who changed what on a report, and when. Append-only. */
@Entity('incident_amendments')
@Index('incident_amendments_incident_id_version_idx', ['incidentId', 'version'], { unique: true })
export class IncidentAmendment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_amendments_incident_id_fkey' })
  incident?: Incident;

  /** the report's version this amendment produced */
  @Column('int')
  version: number;

  @Column('uuid')
  changedBy: string;

  @Column('text')
  changedByKind: string;

  @Column('jsonb')
  changes: FieldChanges;

  @Column('text', { nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
