import { ApiProperty } from '@nestjs/swagger';
import { Text } from '../../http/text-fields';
import { RefusesSpecialCategories } from './refused-field';

/**
 * How a person looked, as a report describes an offender and a subject record describes a
 * subject. Special-category fields are refused by name.
 */
export class AppearanceDto extends RefusesSpecialCategories {
  @Text(50)
  apparentAgeRange?: string;
  @Text(50)
  height?: string;
  @Text(100)
  build?: string;
  @Text(200)
  hair?: string;
  @Text(500, true)
  distinguishingMarks?: string;
}

export class AppearanceResponse {
  @ApiProperty({ type: String, nullable: true })
  apparentAgeRange: string | null;
  @ApiProperty({ type: String, nullable: true })
  height: string | null;
  @ApiProperty({ type: String, nullable: true })
  build: string | null;
  @ApiProperty({ type: String, nullable: true })
  hair: string | null;
  @ApiProperty({ type: String, nullable: true })
  distinguishingMarks: string | null;
}
