import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { SubjectAccessExport } from '@app/privacy';
import { IsHumanText } from '@app/errors';

/** Names the person: a user's e-mail, and/or a name as written in reports and statements. */
export class SubjectAccessRequest {
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  @IsHumanText()
  name?: string;

  /** why the export is made (kept in the access log; optional since the DUA Act 2025) */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsHumanText({ multiline: true })
  justification?: string;
}

export class SubjectAccessResponse {
  subject: { userId: string | null; email: string | null; name: string | null };
  generatedAt: string;
  /** per table that can hold the person, its records with third parties redacted */
  sections: Record<string, Record<string, unknown>[]>;

  static from(e: SubjectAccessExport): SubjectAccessResponse {
    return { subject: e.subject, generatedAt: e.generatedAt, sections: e.sections };
  }
}
