import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { RequiredText, Text } from '../../http/text-fields';

/** An MG11 statement, signed as it is stored (s.9 Criminal Justice Act 1967). */
export class CreateStatementRequest implements StatementInput {
  @RequiredText(1, 200)
  witnessName: string;

  /** only when the witness is under 18 (CrimPR r.16.2) */
  @ApiPropertyOptional({ type: Number, description: 'only when the witness is under 18 (CrimPR r.16.2)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(17)
  witnessAgeIfUnder18?: number;

  @Text(200)
  witnessOccupation?: string;

  /** first person, own words, time order */
  @ApiProperty({ type: String, description: 'first person, own words, time order' })
  @IsString()
  @MinLength(1)
  @MaxLength(50_000)
  @IsHumanText({ multiline: true })
  statementText: string;

  @ApiProperty({ type: Number })
  @IsInt()
  @Min(1)
  @Max(200)
  pageCount: number;

  /** the witness acknowledges the s.9 declaration (the MG11 wording, returned in the response) */
  @ApiProperty({
    type: Boolean,
    description: 'the witness acknowledges the s.9 declaration (the MG11 wording, returned in the response)',
  })
  @IsBoolean()
  @Equals(true, {
    message: 'declarationAcknowledged must be true: a statement is only taken with the s.9 declaration',
  })
  declarationAcknowledged: boolean;

  /** when the witness could not read it: who read it to them */
  @ApiPropertyOptional({
    type: String,
    description: 'when the witness could not read it: who read it to them',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsHumanText()
  readOverBy?: string;

  /** the typed signature */
  @ApiProperty({ type: String, description: 'the typed signature' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsHumanText()
  signatureName: string;
}

export class StatementResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  incidentId: string;
  @ApiProperty({ type: Number })
  version: number;
  @ApiProperty({ type: String, nullable: true })
  supersedesId: string | null;
  @ApiProperty({ type: String })
  witnessName: string;
  @ApiProperty({ type: Number, nullable: true })
  witnessAgeIfUnder18: number | null;
  @ApiProperty({ type: String, nullable: true })
  witnessOccupation: string | null;
  @ApiProperty({ type: String })
  statementText: string;
  @ApiProperty({ type: Number })
  pageCount: number;
  @ApiProperty({ type: String })
  declarationText: string;
  @ApiProperty({ type: Boolean })
  declarationAcknowledged: boolean;
  @ApiProperty({ type: String, nullable: true })
  readOverBy: string | null;
  @ApiProperty({ type: String })
  signatureName: string;
  @ApiProperty({ type: String })
  signedAt: string;
  @ApiProperty({ type: String })
  contentSha256: string;
  @ApiProperty({ type: String })
  recordedBy: string;
  @ApiProperty({ type: String })
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
