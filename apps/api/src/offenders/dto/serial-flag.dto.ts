import { IsEnum, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { type LegalRule, type SerialFlag, SerialFlagState } from '@app/offenders';
import { PageQuery } from '../../http/page.query';

import { Text } from './text-fields';

export class ListFlagsQuery extends PageQuery {
  @IsOptional()
  @IsEnum(SerialFlagState)
  state?: SerialFlagState;
}

export class FlagTransitionRequest {
  @IsIn([SerialFlagState.Reviewed, SerialFlagState.CaseOpened, SerialFlagState.Dismissed])
  state: SerialFlagState;

  @Text(2000, true) note?: string;
}

export class FlagResponse {
  id: string;
  subjectId: string;
  state: SerialFlagState;
  incidentIds: string[];
  totalPence: number;
  crossingIncidentIds: string[];
  crossingTotalPence: number;
  overThresholdIncidentIds: string[];
  storeIds: string[];
  windowFrom: string;
  windowTo: string;
  thresholdApplies: boolean;
  legalConsequence: string;
  rule: SerialFlag['rule'];
  alertId: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
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
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  thresholdPence: number;

  @IsInt()
  @Min(1)
  @Max(3650)
  windowDays: number;

  /** at least 2: aggregation needs two thefts */
  @IsInt()
  @Min(2)
  @Max(100)
  minIncidents: number;

  @IsInt()
  @Min(1)
  @Max(60)
  exclusionMonths: number;
}

export class LegalRuleResponse {
  id: string;
  jurisdiction: string;
  key: string;
  value: unknown;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  keyDate: string;
  source: string;
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
