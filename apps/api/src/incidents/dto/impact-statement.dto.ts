import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { ImpactKind, type ImpactStatement } from '@app/incidents';
import { IsHumanText } from '@app/errors';
import { RequiredText } from '../../http/text-fields';

/** An Impact Statement for Business (isb) or a Victim Personal Statement (vps), given with a report. */
export class CreateImpactStatementRequest {
  @ApiProperty({ enum: ImpactKind, enumName: 'ImpactKind' })
  @IsEnum(ImpactKind)
  kind: ImpactKind;

  /** the business's authorised representative (isb) or the victim (vps) */
  @RequiredText(1, 200)
  madeBy: string;

  /** in the maker's own words: the effect of the crime (no view on sentence) */
  @ApiProperty({
    type: String,
    description: "in the maker's own words: the effect of the crime (no view on sentence)",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  @IsHumanText({ multiline: true })
  text: string;
}

export class ImpactStatementResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  incidentId: string;
  @ApiProperty({ enum: ImpactKind, enumName: 'ImpactKind' })
  kind: ImpactKind;
  @ApiProperty({ type: String })
  madeBy: string;
  @ApiProperty({ type: String })
  text: string;
  @ApiProperty({ type: String })
  createdAt: string;

  static from(s: ImpactStatement): ImpactStatementResponse {
    return {
      id: s.id,
      incidentId: s.incidentId,
      kind: s.kind,
      madeBy: s.madeBy,
      text: s.text,
      createdAt: s.createdAt.toISOString(),
    };
  }
}
