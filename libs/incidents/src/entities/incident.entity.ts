import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRow } from '@app/database';
import { Partnership, Store } from '@app/partnerships';
import { Subject } from '@app/offenders';

/** What happened; more than one may apply. Hate-aggravated abuse is its own type here. */
export enum IncidentType {
  TheftShop = 'theft_shop',
  TheftOther = 'theft_other',
  Robbery = 'robbery',
  ViolenceInjury = 'violence_injury',
  ViolenceNoInjury = 'violence_no_injury',
  Threat = 'threat',
  VerbalAbuse = 'verbal_abuse',
  HateAggravatedAbuse = 'hate_aggravated_abuse',
  SexualHarassment = 'sexual_harassment',
  CriminalDamage = 'criminal_damage',
  Fraud = 'fraud',
  AntiSocialBehaviour = 'asb',
}

/** What the worker was doing when it started (multi-select). */
export enum IncidentTrigger {
  ChallengingTheft = 'challenging_theft',
  RefusingAgeRestrictedSale = 'refusing_age_restricted_sale',
  RefusingIntoxicatedCustomer = 'refusing_intoxicated_customer',
  AskingForId = 'asking_for_id',
  EnforcingStorePolicy = 'enforcing_store_policy',
  QueuesOrStaffing = 'queues_or_staffing',
  OutOfStock = 'out_of_stock',
  RefundDispute = 'refund_dispute',
  SelfScanDispute = 'self_scan_dispute',
  Unprovoked = 'unprovoked',
  NoneKnown = 'none_known',
}

export enum WeaponKind {
  None = 'none',
  Knife = 'knife',
  OtherBladed = 'other_bladed',
  Firearm = 'firearm',
  Syringe = 'syringe',
  Blunt = 'blunt',
  Other = 'other',
}

export enum InjuryLevel {
  None = 'none',
  Minor = 'minor',
  FirstAid = 'first_aid',
  Medical = 'medical',
  Hospital = 'hospital',
  LifeChanging = 'life_changing',
}

/** draft -> submitted -> reviewed -> closed */
export enum IncidentStatus {
  Draft = 'draft',
  Submitted = 'submitted',
  Reviewed = 'reviewed',
  Closed = 'closed',
}

/** One line of goods: value is the unit price offered for sale at the time, in pence. */
export interface GoodsLine {
  description: string;
  sku: string | null;
  quantity: number;
  unitPricePence: number;
  recoveredQuantity: number;
}

/**
 * How an offender looked and acted. Deliberately no field for ethnicity, race, religion, sexual
 * orientation, politics, health or trade-union membership.
 */
export interface OffenderDescription {
  apparentAgeRange: string | null;
  height: string | null;
  build: string | null;
  hair: string | null;
  clothing: string | null;
  distinguishingMarks: string | null;
  vehicleRegistration: string | null;
  directionOfTravel: string | null;
  exactWords: string | null;
  freeText: string | null;
}

export interface Witness {
  name: string;
  kind: 'staff' | 'customer' | 'other';
  contact: string | null;
}

/** One event at one store, in the reporter's own words. */
@Entity('incidents')
@Index('incidents_partnership_id_created_at_idx', ['partnershipId', 'createdAt'])
@Index('incidents_partnership_id_occurred_at_idx', ['partnershipId', 'occurredAt'])
@Index('incidents_store_id_created_at_idx', ['storeId', 'createdAt'])
@Index('incidents_offender_id_idx', ['offenderId'])
// full-text search (narrative and goods), created by hand in the AddSearchIndexes migration
@Index('incidents_search_idx', { synchronize: false })
export class Incident extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'incidents_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('uuid')
  storeId: string;

  /** a store of the report's own partnership (the key carries partnership_id) */
  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'partnership_id',
      referencedColumnName: 'partnershipId',
      foreignKeyConstraintName: 'incidents_store_id_fkey',
    },
    { name: 'store_id', referencedColumnName: 'id', foreignKeyConstraintName: 'incidents_store_id_fkey' },
  ])
  store?: Store;

  @Column({ type: 'enum', enum: IncidentStatus, enumName: 'incident_status' })
  status: IncidentStatus;

  /** bumped by every amendment; clients send it back to amend (lost-update guard) */
  @Column('int', { default: 1 })
  version: number;

  @Column({ type: 'enum', enum: IncidentType, enumName: 'incident_type', array: true })
  types: IncidentType[];

  @Column({ type: 'enum', enum: IncidentTrigger, enumName: 'incident_trigger', array: true })
  triggers: IncidentTrigger[];

  @Column({ type: 'enum', enum: WeaponKind, enumName: 'weapon_kind' })
  weapon: WeaponKind;

  @Column({ type: 'enum', enum: InjuryLevel, enumName: 'injury_level' })
  injury: InjuryLevel;

  @Column('jsonb', { default: () => "'[]'" })
  goods: GoodsLine[];

  /** classification value: sum of quantity x offered price; recovery never reduces it */
  @Column('bigint', { default: 0 })
  valuePence: string;

  @Column('bigint', { default: 0 })
  recoveredValuePence: string;

  /** damage to the business's property or stock, for compensation (MG19); not a classification value */
  @Column('bigint', { default: 0 })
  damageValuePence: string;

  @Column('timestamptz')
  occurredAt: Date;

  /** when it was submitted (null while a draft) */
  @Column('timestamptz', { nullable: true })
  reportedAt: Date | null;

  /** what happened, in the reporter's own words */
  @Column('text')
  narrative: string;

  @Column('jsonb', { default: () => "'[]'" })
  offenders: OffenderDescription[];

  /** a known offender; the offender tables come later */
  @Column('uuid', { nullable: true })
  offenderId: string | null;

  // composite with partnership_id, so the database refuses another partnership's subject
  // (Relation<>: subject.entity imports this file, so the type must not be emitted as metadata)
  @ManyToOne(() => Subject, { onDelete: 'NO ACTION' })
  @JoinColumn([
    {
      name: 'partnership_id',
      referencedColumnName: 'partnershipId',
      foreignKeyConstraintName: 'incidents_offender_id_fkey',
    },
    {
      name: 'offender_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'incidents_offender_id_fkey',
    },
  ])
  offender?: Relation<Subject>;

  @Column('jsonb', { default: () => "'[]'" })
  witnesses: Witness[];

  @Column('boolean', { default: false })
  policeReported: boolean;

  @Column('text', { nullable: true })
  crimeReference: string | null;

  @Column('boolean', { default: false })
  policeAttended: boolean;

  @Column('boolean', { default: false })
  cctvAvailable: boolean;

  /** the day the recorder will overwrite the footage */
  @Column('date', { nullable: true })
  cctvOverwriteOn: string | null;

  /** recorder clock minus true time, in seconds (signed) */
  @Column('int', { nullable: true })
  cctvClockOffsetSeconds: number | null;

  @Column('boolean', { default: false })
  victimSupportOffered: boolean;

  @Column('uuid')
  reportedBy: string;

  /** 'user' or 'device' */
  @Column('text')
  reportedByKind: string;
}
