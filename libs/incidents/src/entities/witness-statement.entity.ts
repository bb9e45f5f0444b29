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

/**
 * An MG11 (s.9 Criminal Justice Act 1967) statement, signed when stored and immutable from then on
 * (the app role may only INSERT and SELECT; a trigger refuses changes). A correction is a new row
 * whose `supersedes_id` points at the version it corrects.
 */
@Entity('witness_statements')
@Index('witness_statements_incident_id_idx', ['incidentId'])
@Index('witness_statements_supersedes_id_idx', ['supersedesId'], { unique: true })
export class WitnessStatement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'witness_statements_incident_id_fkey' })
  incident?: Incident;

  @Column('int')
  version: number;

  @Column('uuid', { nullable: true })
  supersedesId: string | null;

  @ManyToOne(() => WitnessStatement, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supersedes_id', foreignKeyConstraintName: 'witness_statements_supersedes_id_fkey' })
  supersedes?: WitnessStatement;

  @Column('text')
  witnessName: string;

  /** only when under 18 (CrimPR r.16.2) */
  @Column('int', { nullable: true })
  witnessAgeIfUnder18: number | null;

  @Column('text', { nullable: true })
  witnessOccupation: string | null;

  /** first person, own words, time order */
  @Column('text')
  statementText: string;

  @Column('int')
  pageCount: number;

  /** the declaration wording the witness acknowledged */
  @Column('text')
  declarationText: string;

  @Column('boolean')
  declarationAcknowledged: boolean;

  /** when someone read the statement to the witness, who did */
  @Column('text', { nullable: true })
  readOverBy: string | null;

  @Column('text')
  signatureName: string;

  @Column('timestamptz')
  signedAt: Date;

  /** SHA-256 of the canonical signed content */
  @Column('text')
  contentSha256: string;

  @Column('uuid')
  recordedBy: string;

  @Column('text')
  recordedByKind: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
