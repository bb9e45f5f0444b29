import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import {
  type CaseEvidenceRequest,
  type CaseHistoryEntry,
  CaseStatus,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  type PoliceCase,
} from '@app/cases';
import { DATE_RANGES, IsCalendarDate, IsHumanText } from '@app/errors';
import { PageQuery } from '../../http/page.query';
import { RequiredText, Text } from '../../http/text-fields';

/** Open from one incident (`incidentId`) or from a serial-offender flag (`serialFlagId`). */
export class OpenCaseRequest {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsUUID()
  serialFlagId?: string;

  @Text(200)
  title?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  offenderDetained?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  victimVulnerable?: boolean;

  @RequiredText(3, 2000, true)
  reason: string;
}

export class TransitionCaseRequest {
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus' })
  @IsEnum(CaseStatus)
  status: CaseStatus;

  @RequiredText(3, 2000, true)
  reason: string;

  /** the outcome in plain words for the store and the victim (court outcome, NFA, resolution) */
  @ApiPropertyOptional({
    type: String,
    description: 'the outcome in plain words for the store and the victim (court outcome, NFA, resolution)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsHumanText({ multiline: true })
  outcome?: string;

  /** charge or first-appearance date */
  @ApiPropertyOptional({ type: String, description: 'charge or first-appearance date' })
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.proceedings)
  proceedingsDate?: string;
}

export class AssignCaseRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  officerId: string;

  @RequiredText(3, 2000, true)
  reason: string;
}

export class CreateEvidenceRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  incidentId: string;

  @ApiProperty({ enum: EvidenceRequestKind, enumName: 'EvidenceRequestKind' })
  @IsEnum(EvidenceRequestKind)
  kind: EvidenceRequestKind;

  @RequiredText(3, 4000, true)
  message: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsCalendarDate(DATE_RANGES.proceedings)
  dueOn?: string;
}

export class AnswerEvidenceRequest {
  /** true to say the evidence cannot be supplied (answerText says why) */
  @ApiPropertyOptional({
    type: Boolean,
    description: 'true to say the evidence cannot be supplied (answerText says why)',
  })
  @IsOptional()
  @IsBoolean()
  decline?: boolean;

  @Text(50_000, true)
  answerText?: string;

  @ApiPropertyOptional({ enum: ['isb', 'vps'] })
  @IsOptional()
  @IsIn(['isb', 'vps'])
  impactKind?: 'isb' | 'vps';

  @Text(200)
  impactMadeBy?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  exhibitIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  statementIds?: string[];
}

export class StoreRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EvidenceRequestStatus, enumName: 'EvidenceRequestStatus' })
  @IsOptional()
  @IsEnum(EvidenceRequestStatus)
  status?: EvidenceRequestStatus;
}

export class CaseResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  reference: string;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus' })
  status: CaseStatus;
  @ApiProperty({ type: String })
  origin: string;
  @ApiProperty({ type: String, nullable: true })
  serialFlagId: string | null;
  @ApiProperty({ type: String, nullable: true })
  subjectId: string | null;
  @ApiProperty({ type: String })
  title: string;
  @ApiProperty({ type: String, nullable: true })
  assignedOfficerId: string | null;
  @ApiProperty({ type: Boolean })
  offenderDetained: boolean;
  @ApiProperty({ type: Boolean })
  victimVulnerable: boolean;
  @ApiProperty({ type: String, nullable: true })
  proceedingsDate: string | null;
  @ApiProperty({ type: String, nullable: true })
  outcomePlain: string | null;
  @ApiPropertyOptional({ type: [String] })
  incidentIds?: string[];
  @ApiProperty({ type: String })
  createdAt: string;
  @ApiProperty({ type: String })
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

/** One line of the case's hash-chained continuity log (continuity.jsonl in a pack). */
export class ContinuityEntryResponse {
  @ApiProperty({ type: Number })
  seq: number;
  @ApiProperty({ type: String })
  case_id: string;
  /** ISO 8601 UTC with milliseconds */
  @ApiProperty({ type: String, description: 'ISO 8601 UTC with milliseconds' })
  at: string;
  @ApiProperty({ type: String })
  actor_id: string;
  @ApiProperty({ type: String })
  actor_kind: string;
  /** e.g. exhibit_captured, statement_signed, case_opened, pack_built, pack_disclosed */
  @ApiProperty({
    type: String,
    description: 'e.g. exhibit_captured, statement_signed, case_opened, pack_built, pack_disclosed',
  })
  action: string;
  @ApiProperty({ type: String })
  object_type: string;
  @ApiProperty({ type: String, nullable: true })
  object_id: string | null;
  /** the SHA-256 of the object the step concerns, when it has one */
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the SHA-256 of the object the step concerns, when it has one',
  })
  sha256: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  details: unknown;
  @ApiProperty({ type: String })
  prev_hash: string;
  @ApiProperty({ type: String })
  hash: string;
}

export class HistoryResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  kind: string;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus', nullable: true })
  fromStatus: CaseStatus | null;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus' })
  toStatus: CaseStatus;
  @ApiProperty({ type: String, nullable: true })
  assignedOfficerId: string | null;
  @ApiProperty({ type: String })
  reason: string;
  @ApiProperty({ type: String, nullable: true })
  plainWords: string | null;
  @ApiProperty({ type: String })
  changedBy: string;
  @ApiProperty({ type: String })
  changedByKind: string;
  @ApiProperty({ type: String })
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
  @ApiProperty({ type: String })
  caseId: string;
  @ApiProperty({ type: String })
  caseReference: string;
  @ApiProperty({ enum: CaseStatus, enumName: 'CaseStatus' })
  status: CaseStatus;
  @ApiProperty({ type: String })
  plainWords: string;
  @ApiProperty({ type: String })
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
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  caseId: string;
  @ApiProperty({ type: String })
  incidentId: string;
  @ApiProperty({ type: String })
  storeId: string;
  @ApiProperty({ enum: EvidenceRequestKind, enumName: 'EvidenceRequestKind' })
  kind: EvidenceRequestKind;
  @ApiProperty({ type: String })
  message: string;
  @ApiProperty({ type: String, nullable: true })
  dueOn: string | null;
  @ApiProperty({ enum: EvidenceRequestStatus, enumName: 'EvidenceRequestStatus' })
  status: EvidenceRequestStatus;
  @ApiProperty({ type: String })
  requestedBy: string;
  @ApiProperty({ type: String, nullable: true })
  answeredBy: string | null;
  @ApiProperty({ type: String, nullable: true })
  answeredAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  answerText: string | null;
  @ApiProperty({ type: String, nullable: true })
  impactKind: string | null;
  @ApiProperty({ type: String, nullable: true })
  impactMadeBy: string | null;
  @ApiProperty({ type: [String] })
  exhibitIds: string[];
  @ApiProperty({ type: [String] })
  statementIds: string[];
  @ApiProperty({ type: String })
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
