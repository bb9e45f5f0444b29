import {
  Equals,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { signedContentJson, type StatementInput, type WitnessStatement } from '@app/incidents';
import { IsHumanText } from '@app/errors';

/** An MG11 statement, signed as it is stored (s.9 Criminal Justice Act 1967). */
export class CreateStatementRequest implements StatementInput {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  witnessName: string;

  /** only when the witness is under 18 (CrimPR r.16.2) */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(17)
  witnessAgeIfUnder18?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsHumanText()
  witnessOccupation?: string;

  /** first person, own words, time order */
  @IsString()
  @MinLength(1)
  @MaxLength(50_000)
  @IsHumanText({ multiline: true })
  statementText: string;

  @IsInt()
  @Min(1)
  @Max(200)
  pageCount: number;

  /** the witness acknowledges the s.9 declaration (the MG11 wording, returned in the response) */
  @IsBoolean()
  @Equals(true, {
    message: 'declarationAcknowledged must be true: a statement is only taken with the s.9 declaration',
  })
  declarationAcknowledged: boolean;

  /** when the witness could not read it: who read it to them */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsHumanText()
  readOverBy?: string;

  /** the typed signature */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  signatureName: string;
}

export class StatementResponse {
  id: string;
  incidentId: string;
  version: number;
  supersedesId: string | null;
  witnessName: string;
  witnessAgeIfUnder18: number | null;
  witnessOccupation: string | null;
  statementText: string;
  pageCount: number;
  declarationText: string;
  declarationAcknowledged: boolean;
  readOverBy: string | null;
  signatureName: string;
  signedAt: string;
  contentSha256: string;
  recordedBy: string;
  recordedByKind: string;

  static from(s: WitnessStatement): StatementResponse {
    return {
      id: s.id,
      incidentId: s.incidentId,
      version: s.version,
      supersedesId: s.supersedesId,
      ...signedContentJson(s),
      contentSha256: s.contentSha256,
      recordedBy: s.recordedBy,
      recordedByKind: s.recordedByKind,
    };
  }
}
