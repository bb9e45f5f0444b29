import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { SubjectAccessExport } from '@app/privacy';
import { IsHumanText } from '@app/errors';

/** Names the person: a user's e-mail, and/or a name as written in reports and statements. */
export class SubjectAccessRequest {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  @IsHumanText()
  name?: string;

  /** why the export is made (kept in the access log; optional since the DUA Act 2025) */
  @ApiPropertyOptional({
    type: String,
    description: 'why the export is made (kept in the access log; optional since the DUA Act 2025)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsHumanText({ multiline: true })
  justification?: string;
}

export class SubjectAccessSubjectResponse {
  @ApiProperty({ type: String, nullable: true })
  userId: string | null;
  @ApiProperty({ type: String, nullable: true })
  email: string | null;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

export class SubjectAccessResponse {
  @ApiProperty({ type: () => SubjectAccessSubjectResponse })
  subject: SubjectAccessSubjectResponse;
  @ApiProperty({ type: String })
  generatedAt: string;
  /** per table that can hold the person, its records with third parties redacted */
  @ApiProperty({
    type: 'object',
    description: 'per table that can hold the person, its records with third parties redacted',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  sections: Record<string, Record<string, unknown>[]>;

  static from(e: SubjectAccessExport): SubjectAccessResponse {
    return { subject: e.subject, generatedAt: e.generatedAt, sections: e.sections };
  }
}
