import {
  Check,
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
 * A content-addressed, write-once master file. The app role may INSERT and SELECT only; only the
 * retention process (as the owner) removes one.
 */
@Entity('evidence_masters')
@Index('evidence_masters_partnership_id_sha256_idx', ['partnershipId', 'sha256'], { unique: true })
@Check('evidence_masters_sha256_chk', `sha256 ~ '^[0-9a-f]{64}$'`)
export class EvidenceMaster {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('text')
  sha256: string;

  @Column('bigint')
  sizeBytes: string;

  /** decided by magic bytes, never by name or header */
  @Column('text')
  mediaType: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A viewing copy made from a master (metadata stripped), with its own hash. */
@Entity('evidence_derivatives')
@Index(
  'evidence_derivatives_partnership_id_parent_sha256_kind_idx',
  ['partnershipId', 'parentSha256', 'kind'],
  {
    unique: true,
  },
)
export class EvidenceDerivative {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('text')
  parentSha256: string;

  /** e.g. 'metadata_stripped' */
  @Column('text')
  kind: string;

  @Column('text')
  sha256: string;

  @Column('bigint')
  sizeBytes: string;

  @Column('text')
  mediaType: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A master produced as an exhibit on a report, with its acquisition metadata. */
@Entity('exhibits')
@Index('exhibits_incident_id_sha256_idx', ['incidentId', 'sha256'], { unique: true })
@Index('exhibits_incident_id_reference_idx', ['incidentId', 'reference'], { unique: true })
export class Exhibit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'exhibits_incident_id_fkey' })
  incident?: Incident;

  @Column('text')
  sha256: string;

  /** producer's initials and number, e.g. JS/1 */
  @Column('text')
  reference: string;

  @Column('text')
  producerName: string;

  /** the client's file name, sanitised; never used as a path */
  @Column('text', { nullable: true })
  originalName: string | null;

  @Column('text')
  mediaType: string;

  @Column('bigint')
  sizeBytes: string;

  @Column('timestamptz', { nullable: true })
  capturedAt: Date | null;

  /** recorder clock minus true time, in seconds (signed) */
  @Column('int', { nullable: true })
  clockOffsetSeconds: number | null;

  @Column('uuid')
  uploadedBy: string;

  @Column('text')
  uploadedByKind: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
