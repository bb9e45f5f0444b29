import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { BaseRow } from '@app/database';
import { Incident } from '@app/incidents';
import { Partnership } from '@app/partnerships';

/** Known (identified) or ID-sought (circulated so a member can name them). */
export enum SubjectKind {
  Known = 'known',
  IdSought = 'id_sought',
}

/**
 * How a subject looks. Deliberately no field for ethnicity, race, religion, sexual orientation,
 * politics, health or trade-union membership (domain brief 7.12).
 */
export interface SubjectDescription {
  apparentAgeRange: string | null;
  height: string | null;
  build: string | null;
  hair: string | null;
  usualClothing: string | null;
  distinguishingMarks: string | null;
  notes: string | null;
}

export interface SubjectVehicle {
  /** normalised: upper case, no spaces */
  registration: string;
  make: string | null;
  model: string | null;
  colour: string | null;
}

/** A person of interest to a partnership: offender intelligence, Art 10 data. */
@Entity('subjects')
@Index('subjects_partnership_id_created_at_idx', ['partnershipId', 'createdAt'])
// GIN index for registration matching, created by hand in the migration
@Index('subjects_vehicle_registrations_idx', { synchronize: false })
// search: full text and trigram names, created by hand in the AddSearchIndexes migration
@Index('subjects_search_idx', { synchronize: false })
@Index('subjects_search_names_idx', { synchronize: false })
@Check('subjects_known_named_chk', `kind <> 'known' OR name IS NOT NULL`)
// the target of tenant-carrying references: (partnership_id, offender_id) cannot cross partnerships
@Unique('subjects_partnership_id_id_key', ['partnershipId', 'id'])
export class Subject extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'subjects_partnership_id_fkey' })
  partnership?: Partnership;

  @Column({ type: 'enum', enum: SubjectKind, enumName: 'subject_kind' })
  kind: SubjectKind;

  /** a short reference members can say on the radio, e.g. S-7F3A */
  @Column('text')
  reference: string;

  /** required for known subjects; null while ID is sought */
  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  aliases: string[];

  @Column('jsonb')
  description: SubjectDescription;

  @Column('jsonb', { default: () => "'[]'" })
  vehicles: SubjectVehicle[];

  /** the vehicles' registrations, for matching */
  @Column('text', { array: true, default: () => "'{}'" })
  vehicleRegistrations: string[];

  /** children and vulnerable people are listed only after a special review (brief 7.8) */
  @Column('boolean', { default: false })
  juvenile: boolean;

  @Column('uuid')
  createdBy: string;
}

/** An image of a subject: a content-addressed evidence master plus its metadata-free viewing copy. */
@Entity('subject_images')
@Index('subject_images_subject_id_sha256_idx', ['subjectId', 'sha256'], { unique: true })
export class SubjectImage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  subjectId: string;

  @ManyToOne(() => Subject, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_id', foreignKeyConstraintName: 'subject_images_subject_id_fkey' })
  subject?: Subject;

  @Column('text')
  sha256: string;

  @Column('text', { nullable: true })
  viewSha256: string | null;

  @Column('text')
  mediaType: string;

  @Column('bigint')
  sizeBytes: string;

  @Column('uuid')
  uploadedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A coordinator's confirmed link between an incident and a subject. A link table rather than
 * incidents.offender_id: a joint theft has several accused, and each link records who confirmed
 * it. The incident's facts used for detection are copied here by the aggregation job, so the
 * detection query reads one narrow table (subject_incidents_candidates_idx, index-only).
 */
@Entity('subject_incidents')
@Index('subject_incidents_subject_id_incident_id_idx', ['subjectId', 'incidentId'], { unique: true })
@Index('subject_incidents_subject_id_occurred_at_idx', ['subjectId', 'occurredAt'])
@Index('subject_incidents_incident_id_idx', ['incidentId'])
@Index('subject_incidents_partnership_id_occurred_at_idx', ['partnershipId', 'occurredAt'])
// Serial detection's candidates (submitted shop thefts with a value), in the order its window reads
// them (occurred_at DESC in the migration, which @Index cannot express): the full pass and the
// one-subject check are index-only range scans that need no sort.
@Index('subject_incidents_candidates_idx', ['partnershipId', 'subjectId', 'occurredAt', 'valuePence'], {
  where: 'theft_shop AND counted AND value_pence > 0',
})
export class SubjectIncident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @Column('uuid')
  subjectId: string;

  @ManyToOne(() => Subject, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_id', foreignKeyConstraintName: 'subject_incidents_subject_id_fkey' })
  subject?: Subject;

  @Column('uuid')
  incidentId: string;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'subject_incidents_incident_id_fkey' })
  incident?: Incident;

  @Column('uuid')
  linkedBy: string;

  @Column('text', { nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  // --- copied from the incident (and the legal rules) by the aggregation job
  @Column('timestamptz')
  occurredAt: Date;

  @Column('uuid')
  storeId: string;

  @Column('bigint', { default: 0 })
  valuePence: string;

  /** a submitted (not draft) report with a theft_shop act */
  @Column('boolean', { default: false })
  theftShop: boolean;

  /** not a draft */
  @Column('boolean', { default: false })
  counted: boolean;

  @Column('boolean', { default: false })
  violence: boolean;

  /** an act within a retail-worker offence (2026 Act assault in E&W, 2021 Act in Scotland) dated on or after its commencement */
  @Column('boolean', { default: false })
  retailWorkerOffence: boolean;
}

/** A subject's aggregates, recomputed from its links by the aggregation job. */
@Entity('subject_aggregates')
export class SubjectAggregate {
  @PrimaryColumn('uuid')
  subjectId: string;

  @ManyToOne(() => Subject, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subject_id', foreignKeyConstraintName: 'subject_aggregates_subject_id_fkey' })
  subject?: Subject;

  @Column('uuid')
  partnershipId: string;

  @Column('int', { default: 0 })
  incidentCount: number;

  @Column('bigint', { default: 0 })
  totalValuePence: string;

  @Column('uuid', { array: true, default: () => "'{}'" })
  storeIds: string[];

  @Column('timestamptz', { nullable: true })
  firstSeenAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSeenAt: Date | null;

  @Column('boolean', { default: false })
  violence: boolean;

  @Column('int', { default: 0 })
  retailWorkerOffences: number;

  /** bumped by every recomputation */
  @Column('int', { default: 0 })
  version: number;

  @Column('timestamptz', { default: () => 'now()' })
  computedAt: Date;
}
