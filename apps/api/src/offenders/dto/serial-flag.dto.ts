import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsHumanText } from '@app/errors';
import { type LegalRule, type SerialFlag, SerialFlagState } from '@app/offenders';
import { PageQuery } from '../../http/page.query';

import { Text } from '../../http/text-fields';

export class ListFlagsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SerialFlagState, enumName: 'SerialFlagState' })
  @IsOptional()
  @IsEnum(SerialFlagState)
  state?: SerialFlagState;
}

export class FlagTransitionRequest {
  @ApiProperty({ enum: SerialFlagState, enumName: 'SerialFlagState' })
  @IsIn([SerialFlagState.Reviewed, SerialFlagState.CaseOpened, SerialFlagState.Dismissed])
  state: SerialFlagState;
  @Text(2000, true)
  note?: string;
}

/** The rule and its inputs, for reproducibility. */
export class SerialFlagRuleResponse {
  @ApiProperty({ type: String })
  jurisdiction: string;
  @ApiProperty({ type: Number })
  thresholdPence: number;
  @ApiProperty({ type: Number })
  windowDays: number;
  @ApiProperty({ type: Number })
  minIncidents: number;
  @ApiProperty({ type: String, nullable: true })
  s22aRuleId: string | null;
  @ApiProperty({ type: String, nullable: true })
  repealCommencesOn: string | null;
}

export class FlagResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  subjectId: string;
  @ApiProperty({ enum: SerialFlagState, enumName: 'SerialFlagState' })
  state: SerialFlagState;
  @ApiProperty({ type: [String] })
  incidentIds: string[];
  @ApiProperty({ type: Number })
  totalPence: number;
  @ApiProperty({ type: [String] })
  crossingIncidentIds: string[];
  @ApiProperty({ type: Number })
  crossingTotalPence: number;
  @ApiProperty({ type: [String] })
  overThresholdIncidentIds: string[];
  @ApiProperty({ type: [String] })
  storeIds: string[];
  @ApiProperty({ type: String })
  windowFrom: string;
  @ApiProperty({ type: String })
  windowTo: string;
  @ApiProperty({ type: Boolean })
  thresholdApplies: boolean;
  @ApiProperty({ type: String })
  legalConsequence: string;
  @ApiProperty({ type: () => SerialFlagRuleResponse })
  rule: SerialFlagRuleResponse;
  @ApiProperty({ type: String, nullable: true })
  alertId: string | null;
  @ApiProperty({ type: String, nullable: true })
  decidedBy: string | null;
  @ApiProperty({ type: String, nullable: true })
  decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  decisionNote: string | null;
  @ApiProperty({ type: String })
  createdAt: string;
  @ApiProperty({ type: String })
  updatedAt: string;

  static from(f: SerialFlag): FlagResponse {
    return {
      id: f.id,
      subjectId: f.subjectId,
      state: f.state,
      incidentIds: f.incidentIds,
      totalPence: Number(f.totalPence),
      crossingIncidentIds: f.crossingIncidentIds,
      crossingTotalPence: Number(f.crossingTotalPence),
      overThresholdIncidentIds: f.overThresholdIncidentIds,
      storeIds: f.storeIds,
      windowFrom: f.windowFrom.toISOString(),
      windowTo: f.windowTo.toISOString(),
      thresholdApplies: f.thresholdApplies,
      legalConsequence: f.legalConsequence,
      rule: f.rule,
      alertId: f.alertId,
      decidedBy: f.decidedBy,
      decidedAt: f.decidedAt?.toISOString() ?? null,
      decisionNote: f.decisionNote,
      createdAt: f.createdAt.toISOString(),
      updatedAt: f.updatedAt.toISOString(),
    };
  }
}

export class OffenderSettingsDto {
  /** each theft at or under this (pence) is a candidate; the window total must exceed it */
  @ApiProperty({
    type: Number,
    description: 'each theft at or under this (pence) is a candidate; the window total must exceed it',
  })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  thresholdPence: number;

  @ApiProperty({ type: Number })
  @IsInt()
  @Min(1)
  @Max(3650)
  windowDays: number;

  /** at least 2: aggregation needs two thefts */
  @ApiProperty({ type: Number, description: 'at least 2: aggregation needs two thefts' })
  @IsInt()
  @Min(2)
  @Max(100)
  minIncidents: number;

  @ApiProperty({ type: Number })
  @IsInt()
  @Min(1)
  @Max(60)
  exclusionMonths: number;

  /**
   * who an excluded person contacts to ask for a review or appeal, and how (address, email or
   * phone); printed on every exclusion notice letter. Omitted: unchanged; null: cleared.
   */
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 500,
    description:
      'who an excluded person contacts to ask for a review or appeal, and how (address, email or phone); printed on every exclusion notice letter. Omitted: unchanged; null or blank: cleared',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsHumanText({ multiline: true })
  appealContact?: string | null;
}

export class LegalRuleResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  jurisdiction: string;
  @ApiProperty({ type: String })
  key: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  value: unknown;
  @ApiProperty({ type: String, nullable: true })
  effectiveFrom: string | null;
  @ApiProperty({ type: String, nullable: true })
  effectiveTo: string | null;
  @ApiProperty({ type: String })
  keyDate: string;
  @ApiProperty({ type: String })
  source: string;
  @ApiProperty({ type: Boolean })
  adminSet: boolean;

  static from(r: LegalRule): LegalRuleResponse {
    return {
      id: r.id,
      jurisdiction: r.jurisdiction,
      key: r.key,
      value: r.value,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      keyDate: r.keyDate,
      source: r.source,
      adminSet: r.adminSet,
    };
  }
}
