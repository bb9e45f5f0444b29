import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import {
  type PriorityReason,
  type TriageFlag,
  TriageItemKind,
  type TriageReport,
  type TriageRow,
} from '@app/cases';
import { IncidentType, InjuryLevel, WeaponKind } from '@app/incidents';
import { SerialFlagState } from '@app/offenders';
import { SearchPageQuery } from '../../http/page.query';
import { CaseResponse } from './case.dto';

/**
 * Without `status`, `officer` (or with `officer=unassigned`) and `q` the queue also lists the serial
 * flags and reports no case holds yet; a `status`, an officer's cases or a search (`q`: words of
 * the case's reference or title) list cases only.
 */
export class TriageQuery extends SearchPageQuery {
  /** comma-separated case statuses (cases only); default the open ones */
  @ApiPropertyOptional({
    type: String,
    description: 'comma-separated case statuses (then cases only); default the open ones',
  })
  @IsOptional()
  @IsString()
  status?: string;

  /** an officer's user id or `me` (cases only), or `unassigned` (flags and reports too) */
  @ApiPropertyOptional({
    type: String,
    description: "an officer's user id or `me` (then cases only), or `unassigned` (flags and reports too)",
  })
  @IsOptional()
  @IsString()
  officer?: string;
}

export class PriorityReasonResponse {
  @ApiProperty({ type: String })
  factor: string;
  @ApiProperty({ type: Number })
  points: number;
  @ApiProperty({ type: String })
  text: string;
}

/** A serial-offender flag in the queue that no case has been opened from yet. */
export class TriageFlagResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  subjectId: string;
  /** the subject's short reference, e.g. S-7F3A */
  @ApiProperty({ type: String, description: "the subject's short reference, e.g. S-7F3A" })
  subjectReference: string;
  @ApiProperty({ enum: SerialFlagState, enumName: 'SerialFlagState' })
  state: SerialFlagState;
  /** the candidate thefts' total */
  @ApiProperty({ type: Number, description: "the candidate thefts' total" })
  totalPence: number;
  /** how many thefts the flag rests on */
  @ApiProperty({ type: Number, description: 'how many thefts the flag rests on' })
  theftCount: number;
  /** each theft is at or under it */
  @ApiProperty({ type: Number, description: 'each theft is at or under it' })
  thresholdPence: number;
  @ApiProperty({ type: [String] })
  storeIds: string[];
  @ApiProperty({ type: String })
  flaggedAt: string;

  static from(f: TriageFlag): TriageFlagResponse {
    return {
      id: f.id,
      subjectId: f.subjectId,
      subjectReference: f.subjectReference,
      state: f.state,
      totalPence: f.totalPence,
      theftCount: f.theftCount,
      thresholdPence: f.thresholdPence,
      storeIds: f.storeIds,
      flaggedAt: f.flaggedAt.toISOString(),
    };
  }
}

/** A submitted report on no case that comes to triage by itself. */
export class TriageReportResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  storeId: string;
  @ApiProperty({ type: String })
  storeName: string;
  @ApiProperty({ type: String })
  occurredAt: string;
  @ApiProperty({ enum: IncidentType, enumName: 'IncidentType', isArray: true })
  types: IncidentType[];
  @ApiProperty({ enum: WeaponKind, enumName: 'WeaponKind' })
  weapon: WeaponKind;
  @ApiProperty({ enum: InjuryLevel, enumName: 'InjuryLevel' })
  injury: InjuryLevel;
  @ApiProperty({ type: Number })
  valuePence: number;

  static from(r: TriageReport): TriageReportResponse {
    return {
      id: r.id,
      storeId: r.storeId,
      storeName: r.storeName,
      occurredAt: r.occurredAt.toISOString(),
      types: r.types,
      weapon: r.weapon,
      injury: r.injury,
      valuePence: r.valuePence,
    };
  }
}

/**
 * One item of the triage queue: an open case, a serial flag or a report; the one of `case`,
 * `serialFlag` and `report` that `kind` names is set, the others are null.
 */
export class TriageItemResponse {
  @ApiProperty({ enum: TriageItemKind, enumName: 'TriageItemKind' })
  kind: TriageItemKind;
  /** the case's, flag's or report's id */
  @ApiProperty({ type: String, description: "the case's, flag's or report's id" })
  id: string;
  @ApiProperty({ type: Number })
  score: number;
  @ApiProperty({ type: () => [PriorityReasonResponse] })
  reasons: PriorityReasonResponse[];
  /** the reports it rests on (a flag: its bundle; a report: 1) */
  @ApiProperty({ type: Number, description: 'the reports it rests on (a flag: its bundle; a report: 1)' })
  incidentCount: number;
  @ApiProperty({ type: Number })
  totalValuePence: number;
  @ApiProperty({ type: () => CaseResponse, nullable: true })
  case: CaseResponse | null;
  @ApiProperty({ type: () => TriageFlagResponse, nullable: true })
  serialFlag: TriageFlagResponse | null;
  @ApiProperty({ type: () => TriageReportResponse, nullable: true })
  report: TriageReportResponse | null;

  static from(r: TriageRow, reasons: PriorityReason[]): TriageItemResponse {
    return {
      kind: r.kind,
      id: r.id,
      score: r.score,
      reasons,
      incidentCount: r.incidentCount,
      totalValuePence: r.totalValuePence,
      case: r.case ? CaseResponse.from(r.case) : null,
      serialFlag: r.serialFlag ? TriageFlagResponse.from(r.serialFlag) : null,
      report: r.report ? TriageReportResponse.from(r.report) : null,
    };
  }
}
