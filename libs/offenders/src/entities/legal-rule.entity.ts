import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { BaseRow } from '@app/database';
import { Jurisdiction, Partnership } from '@app/partnerships';

/**
 * A rule of law as data: it applies to conduct dated in [effective_from, effective_to). A row with
 * no effective_from has not commenced (an admin sets the date once it is known).
 */
@Entity('legal_rules')
@Index('legal_rules_jurisdiction_key_idx', ['jurisdiction', 'key'], { unique: true })
export class LegalRule extends BaseRow {
  @Column({ type: 'enum', enum: Jurisdiction, enumName: 'jurisdiction' })
  jurisdiction: Jurisdiction;

  @Column('text')
  key: string;

  @Column('jsonb', { nullable: true })
  value: unknown;

  @Column('date', { nullable: true })
  effectiveFrom: string | null;

  @Column('date', { nullable: true })
  effectiveTo: string | null;

  /** 'offence_date' or 'proceedings_date' */
  @Column('text')
  keyDate: string;

  @Column('text')
  source: string;

  /** whether an admin sets effective_from (a commencement by regulations) */
  @Column('boolean', { default: false })
  adminSet: boolean;
}

/** A partnership's offender-intelligence settings; a missing row means the defaults. */
@Entity('offender_settings')
export class OffenderSettings {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'offender_settings_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('int', { default: 20000 })
  thresholdPence: number;

  @Column('int', { default: 90 })
  windowDays: number;

  @Column('int', { default: 3 })
  minIncidents: number;

  @Column('int', { default: 12 })
  exclusionMonths: number;

  /**
   * How an excluded person asks for a review or appeals: who and how (address, email or phone).
   * Printed on every exclusion notice letter; null: the letter names the partnership only.
   */
  @Column('text', { nullable: true })
  appealContact: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
