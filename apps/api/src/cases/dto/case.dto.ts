import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  type CaseEvidenceRequest,
  type CaseHistoryEntry,
  CaseStatus,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  type PoliceCase,
  type PriorityReason,
  type TriageRow,
} from '@app/cases';
import { DATE_RANGES, IsCalendarDate, IsHumanText } from '@app/errors';
import { PageQuery } from '../../http/page.query';

/** Open from one incident (`incidentId`) or from a serial-offender flag (`serialFlagId`). */
export class OpenCaseRequest {
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @IsOptional()
  @IsUUID()
  serialFlagId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsHumanText()
  title?: string;

  @IsOptional()
  @IsBoolean()
  offenderDetained?: boolean;

  @IsOptional()
  @IsBoolean()
  victimVulnerable?: boolean;

  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @IsHumanText({ multiline: true })
  reason: string;
}

export class TransitionCaseRequest {
  @IsEnum(CaseStatus)
  status: CaseStatus;

  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @IsHumanText({ multiline: true })
  reason: string;

  /** the outcome in plain words for the store and the victim (court outcome, NFA, resolution) */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsHumanText({ multiline: true })
  outcome?: string;

  /** charge or first-appearance date */
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.proceedings)
  proceedingsDate?: string;
}

export class AssignCaseRequest {
  @IsUUID()
  officerId: string;

  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @IsHumanText({ multiline: true })
  reason: string;
}

export class TriageQuery extends PageQuery {
  /** comma-separated statuses; default the open ones */
  @IsOptional()
  @IsString()
  status?: string;

  /** an officer's user id, `me` or `unassigned` */
  @IsOptional()
  @IsString()
  officer?: string;
}

export class CreateEvidenceRequest {
  @IsUUID()
  incidentId: string;

  @IsEnum(EvidenceRequestKind)
  kind: EvidenceRequestKind;

  @IsString()
  @MinLength(3)
  @MaxLength(4000)
  @IsHumanText({ multiline: true })
  message: string;

  @IsOptional()
  @IsCalendarDate(DATE_RANGES.proceedings)
  dueOn?: string;
}

export class AnswerEvidenceRequest {
  /** true to say the evidence cannot be supplied (answerText says why) */
  @IsOptional()
  @IsBoolean()
  decline?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  @IsHumanText({ multiline: true })
  answerText?: string;

  @IsOptional()
  @IsIn(['isb', 'vps'])
  impactKind?: 'isb' | 'vps';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsHumanText()
  impactMadeBy?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  exhibitIds?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  statementIds?: string[];
}

export class StoreRequestsQuery extends PageQuery {
  @IsOptional()
  @IsEnum(EvidenceRequestStatus)
  status?: EvidenceRequestStatus;
}

export class CaseResponse {
  id: string;
  reference: string;
  status: CaseStatus;
  origin: string;
  serialFlagId: string | null;
  subjectId: string | null;
  title: string;
  assignedOfficerId: string | null;
  offenderDetained: boolean;
  victimVulnerable: boolean;
  proceedingsDate: string | null;
  outcomePlain: string | null;
  incidentIds?: string[];
  createdAt: string;
  updatedAt: string;

  static from(c: PoliceCase, incidentIds?: string[]): CaseResponse {
    return {
      id: c.id,
      reference: c.reference,
      status: c.status,
      origin: c.origin,
      serialFlagId: c.serialFlagId,
      subjectId: c.subjectId,
      title: c.title,
      assignedOfficerId: c.assignedOfficerId,
      offenderDetained: c.offenderDetained,
      victimVulnerable: c.victimVulnerable,
      proceedingsDate: c.proceedingsDate,
      outcomePlain: c.outcomePlain,
      ...(incidentIds ? { incidentIds } : {}),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}

export class TriageItemResponse {
  case: CaseResponse;
  score: number;
  reasons: PriorityReason[];
  incidentCount: number;
  totalValuePence: number;

  static from(r: TriageRow, reasons: PriorityReason[]): TriageItemResponse {
    return {
      case: CaseResponse.from(r.case),
      score: r.score,
      reasons,
      incidentCount: r.incidentCount,
      totalValuePence: r.totalValuePence,
    };
  }
}

export class HistoryResponse {
  id: string;
  kind: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  assignedOfficerId: string | null;
  reason: string;
  plainWords: string | null;
  changedBy: string;
  changedByKind: string;
  at: string;

  static from(h: CaseHistoryEntry): HistoryResponse {
    return {
      id: h.id,
      kind: h.kind,
      fromStatus: h.fromStatus,
      toStatus: h.toStatus,
      assignedOfficerId: h.assignedOfficerId,
      reason: h.reason,
      plainWords: h.plainWords,
      changedBy: h.changedBy,
      changedByKind: h.changedByKind,
      at: h.createdAt.toISOString(),
    };
  }
}

/** What a store sees of a case: the plain-words update, never the police's reasons. */
export class CaseUpdateResponse {
  caseId: string;
  caseReference: string;
  status: CaseStatus;
  plainWords: string;
  at: string;

  static from(h: CaseHistoryEntry & { caseReference: string }): CaseUpdateResponse {
    return {
      caseId: h.caseId,
      caseReference: h.caseReference,
      status: h.toStatus,
      plainWords: h.plainWords ?? '',
      at: h.createdAt.toISOString(),
    };
  }
}

export class EvidenceRequestResponse {
  id: string;
  caseId: string;
  incidentId: string;
  storeId: string;
  kind: EvidenceRequestKind;
  message: string;
  dueOn: string | null;
  status: EvidenceRequestStatus;
  requestedBy: string;
  answeredBy: string | null;
  answeredAt: string | null;
  answerText: string | null;
  impactKind: string | null;
  impactMadeBy: string | null;
  exhibitIds: string[];
  statementIds: string[];
  createdAt: string;

  static from(r: CaseEvidenceRequest): EvidenceRequestResponse {
    return {
      id: r.id,
      caseId: r.caseId,
      incidentId: r.incidentId,
      storeId: r.storeId,
      kind: r.kind,
      message: r.message,
      dueOn: r.dueOn,
      status: r.status,
      requestedBy: r.requestedBy,
      answeredBy: r.answeredBy,
      answeredAt: r.answeredAt ? r.answeredAt.toISOString() : null,
      answerText: r.answerText,
      impactKind: r.impactKind,
      impactMadeBy: r.impactMadeBy,
      exhibitIds: r.exhibitIds,
      statementIds: r.statementIds,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
