import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { BaseRow } from '@app/database';
import { IncidentTrigger, IncidentType, InjuryLevel, WeaponKind } from '@app/incidents';
import { Partnership } from '@app/partnerships';

/**
 * Bit positions of the type and trigger sets in the rollups' masks. Append only: a reordering
 * would change the meaning of every stored mask (rebuild the rollups after adding a value).
 */
export const STATS_TYPES: readonly IncidentType[] = Object.values(IncidentType);
export const STATS_TRIGGERS: readonly IncidentTrigger[] = Object.values(IncidentTrigger);
export const STATS_WEAPONS: readonly WeaponKind[] = Object.values(WeaponKind).filter(
  (w) => w !== WeaponKind.None,
);
export const STATS_INJURIES: readonly InjuryLevel[] = Object.values(InjuryLevel).filter(
  (i) => i !== InjuryLevel.None,
);

export const VIOLENT_TYPES = [IncidentType.ViolenceInjury, IncidentType.ViolenceNoInjury];
export const ABUSE_TYPES = [
  IncidentType.Threat,
  IncidentType.VerbalAbuse,
  IncidentType.HateAggravatedAbuse,
  IncidentType.SexualHarassment,
];
export const THEFT_TYPES = [IncidentType.TheftShop, IncidentType.TheftOther];
/** offences against staff: violence, abuse, threats, harassment and robbery */
export const STAFF_OFFENCE_TYPES = [...VIOLENT_TYPES, ...ABUSE_TYPES, IncidentType.Robbery];

/**
 * One measure column of the rollups: the sum over incidents `i` of `value` (1: a count of
 * reports) for the rows matching `when`. A sum, so a change to a report folds in as a delta.
 */
export interface StatsMeasure {
  column: string;
  when?: string;
  value?: string;
  money: boolean;
}

const arr = (values: readonly string[]) => `'{${values.join(',')}}'`;
const countIf = (when: string): Omit<StatsMeasure, 'column'> => ({ when, money: false });

/** Every measure, in column order. Counts are incidents (never acts), money is pence. */
export const STATS_MEASURES: readonly StatsMeasure[] = [
  { column: 'incidents', money: false },
  { column: 'violent', ...countIf(`i.types && ${arr(VIOLENT_TYPES)}::incident_type[]`) },
  { column: 'abuse', ...countIf(`i.types && ${arr(ABUSE_TYPES)}::incident_type[]`) },
  { column: 'against_staff', ...countIf(`i.types && ${arr(STAFF_OFFENCE_TYPES)}::incident_type[]`) },
  { column: 'with_weapon', ...countIf(`i.weapon <> 'none'`) },
  { column: 'injured', ...countIf(`i.injury <> 'none'`) },
  {
    column: 'age_restricted',
    ...countIf(`'${IncidentTrigger.RefusingAgeRestrictedSale}' = ANY(i.triggers)`),
  },
  { column: 'reported', ...countIf('i.police_reported') },
  { column: 'attended', ...countIf('i.police_attended') },
  {
    column: 'violent_reported',
    ...countIf(`i.police_reported AND i.types && ${arr(VIOLENT_TYPES)}::incident_type[]`),
  },
  { column: 'thefts', ...countIf(`i.types && ${arr(THEFT_TYPES)}::incident_type[]`) },
  { column: 'value_pence', value: 'i.value_pence', money: true },
  {
    column: 'theft_value_pence',
    when: `i.types && ${arr(THEFT_TYPES)}::incident_type[]`,
    value: 'i.value_pence',
    money: true,
  },
  ...STATS_TYPES.map((t) => ({ column: `type_${t}`, ...countIf(`'${t}' = ANY(i.types)`) })),
  ...STATS_TRIGGERS.map((t) => ({ column: `trigger_${t}`, ...countIf(`'${t}' = ANY(i.triggers)`) })),
  ...STATS_WEAPONS.map((w) => ({ column: `weapon_${w}`, ...countIf(`i.weapon = '${w}'`) })),
  ...STATS_INJURIES.map((l) => ({ column: `injury_${l}`, ...countIf(`i.injury = '${l}'`) })),
];

/**
 * A measure as SQL over rows `i`, each weighing `weight`: 1 for a report, `i.sign` (+1 or -1) for a
 * pending change.
 */
export function measureSql(m: StatsMeasure, weight: string): string {
  const summand = m.value ? `${weight} * ${m.value}` : weight;
  return `coalesce(sum(${summand})${m.when ? ` FILTER (WHERE ${m.when})` : ''}, 0)`;
}

/**
 * Declares every measure as a column on a rollup entity (they are many and all alike). Money is
 * numeric: one report may value 2e15 pence, so a day's sum can pass even bigint.
 */
function measureColumns(target: object): void {
  for (const m of STATS_MEASURES) {
    Column({ type: m.money ? 'numeric' : 'int', name: m.column, default: 0 })(target, m.column);
  }
}

/**
 * Rollup at grain partnership × London day × type set × trigger set, with weapon, injury and police
 * response as measure columns rather than dimensions: rows stay near partnerships × days × the few
 * type/trigger combinations that occur, and every filter the API offers is a mask test.
 */
@Entity('stats_days')
export class StatsDay {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('int')
  typesMask: number;

  @PrimaryColumn('int')
  triggersMask: number;

  [measure: string]: unknown;
}
measureColumns(StatsDay.prototype);

/** The same rollup by calendar month: what analysts' atoms and long ranges read. */
@Entity('stats_months')
export class StatsMonth {
  @PrimaryColumn('uuid')
  partnershipId: string;

  /** first day of the month */
  @PrimaryColumn('date')
  month: string;

  @PrimaryColumn('int')
  typesMask: number;

  @PrimaryColumn('int')
  triggersMask: number;

  [measure: string]: unknown;
}
measureColumns(StatsMonth.prototype);

/** The dimension of `stats_month_dims` holding every report. */
export const ALL_DIMENSION = 'all';
/** The dimension holding the reports of one type (a report with two types is in both). */
export const typeDimension = (type: IncidentType) => `type:${type}`;
/** The dimension holding the reports with one trigger. */
export const triggerDimension = (trigger: IncidentTrigger) => `trigger:${trigger}`;
/** Every dimension a report can count in, in a fixed order. */
export const STATS_DIMENSIONS: readonly string[] = [
  ALL_DIMENSION,
  ...STATS_TYPES.map(typeDimension),
  ...STATS_TRIGGERS.map(triggerDimension),
];

/**
 * The month rollup shaped for the queries users make: partnership × month × dimension, where the
 * dimension is `all`, one type or one trigger. A report counts in `all` and in the dimension of
 * each of its types and triggers, so an unfiltered or a one-filter query reads one row per
 * partnership-month instead of summing every type/trigger combination of `stats_months` (which
 * still answers a type and trigger filter together). Kept by the same fold as the others.
 */
@Entity('stats_month_dims')
export class StatsMonthDim {
  /**
   * `all`, `type:<type>` or `trigger:<trigger>`; first in the key, so a query's rows (one
   * dimension, its partnerships and months) are one range of the index
   */
  @PrimaryColumn('text')
  dimension: string;

  @PrimaryColumn('uuid')
  partnershipId: string;

  /** first day of the month */
  @PrimaryColumn('date')
  month: string;

  [measure: string]: unknown;
}
measureColumns(StatsMonthDim.prototype);

/** Per store and day, for a partnership's own hot spots (never shown to analysts). */
@Entity('stats_store_days')
export class StatsStoreDay {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('uuid')
  storeId: string;

  [measure: string]: unknown;
}
measureColumns(StatsStoreDay.prototype);

export enum OrganisationKind {
  Union = 'union',
  Retailer = 'retailer',
  Other = 'other',
}

/** A union, retailer or other body whose analysts read aggregate statistics. */
@Entity('organisations')
export class Organisation extends BaseRow {
  @Column('text')
  name: string;

  @Column({ type: 'enum', enum: OrganisationKind, enumName: 'organisation_kind' })
  kind: OrganisationKind;
}

/** A partnership's opt-in to share its aggregate statistics with an organisation. */
@Entity('organisation_shares')
export class OrganisationShare {
  @PrimaryColumn('uuid')
  partnershipId: string;

  @PrimaryColumn('uuid')
  organisationId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'organisation_shares_partnership_id_fkey' })
  partnership?: Partnership;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'organisation_shares_organisation_id_fkey',
  })
  organisation?: Organisation;

  @Column('uuid')
  grantedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An analyst account's organisation. */
@Entity('organisation_members')
export class OrganisationMember {
  @PrimaryColumn('uuid')
  userId: string;

  @Column('uuid')
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'organisation_members_organisation_id_fkey',
  })
  organisation?: Organisation;
}

/** A read-only statistics key for an organisation; only the SHA-256 of the secret is stored. */
@Entity('analyst_api_keys')
export class AnalystApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'analyst_api_keys_organisation_id_fkey' })
  organisation?: Organisation;

  /** the partnership whose admin issued it, and the only one it reads; null: the operator's key */
  @Index('analyst_api_keys_partnership_id_idx')
  @Column('uuid', { nullable: true })
  partnershipId: string | null;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'analyst_api_keys_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('text')
  label: string;

  @Index('analyst_api_keys_key_hash_idx', { unique: true })
  @Column('text')
  keyHash: string;

  /** always 'stats:read' */
  @Column('text')
  scope: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;
}

export enum ReportStatus {
  Pending = 'pending',
  Ready = 'ready',
  Failed = 'failed',
}

/** A quarterly partnership report (PDF), built by the worker. */
@Entity('partnership_reports')
@Index('partnership_reports_partnership_id_year_quarter_idx', ['partnershipId', 'year', 'quarter'])
export class PartnershipReport extends BaseRow {
  @Column('uuid')
  partnershipId: string;

  @ManyToOne(() => Partnership, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partnership_id', foreignKeyConstraintName: 'partnership_reports_partnership_id_fkey' })
  partnership?: Partnership;

  @Column('int')
  year: number;

  @Column('int')
  quarter: number;

  @Column({ type: 'enum', enum: ReportStatus, enumName: 'report_status' })
  status: ReportStatus;

  @Column('uuid')
  requestedBy: string;

  /** relative to config.storage.dir */
  @Column('text', { nullable: true })
  filePath: string | null;

  @Column('text', { nullable: true })
  sha256: string | null;

  @Column('int', { nullable: true })
  bytes: number | null;
}
