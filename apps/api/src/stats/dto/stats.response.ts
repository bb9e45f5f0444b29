import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The figures of a headline, a series point or a partnership/store row. Counts are JSON numbers
 * (a count of reports stays far below 2^53); money is a decimal string of pence, exact at any size.
 */
export class StatsFigures {
  @ApiProperty() incidents: number;
  @ApiProperty({ nullable: true, type: Number }) incidentsPerDay: number | null;
  @ApiProperty() violent: number;
  @ApiProperty() abuse: number;
  @ApiProperty() againstStaff: number;
  @ApiProperty() withWeapon: number;
  @ApiProperty() injured: number;
  @ApiProperty() ageRestrictedTrigger: number;
  @ApiProperty() reportedToPolice: number;
  @ApiProperty() policeAttended: number;
  @ApiProperty() violentReported: number;
  @ApiProperty() thefts: number;

  @ApiProperty({
    type: String,
    pattern: '^[0-9]+$',
    example: '10000000000000005',
    description:
      'sum of theft values in pence, as a decimal string: sums pass 2^53, where a JSON number rounds ' +
      '(parse with BigInt; the CSV column is the same digits). "0" for analysts when thefts is withheld.',
  })
  theftValuePence: string;

  @ApiPropertyOptional({ description: 'shares are fractions of incidents (4 decimals), null when undefined' })
  shareViolent: number | null;
}

/** The filters as applied (defaults filled in, the range clamped). */
const FILTERS = {
  type: 'object',
  additionalProperties: true,
  description: 'the filters as applied',
} as const;

export class StatsHeadlineResponse extends StatsFigures {
  @ApiProperty(FILTERS) filters: Record<string, unknown>;
  @ApiProperty() days: number;
}

export class StatsPointResponse extends StatsFigures {
  @ApiProperty({ description: 'the first day of the month, or the day' }) period: string;
}

export class StatsSeriesResponse {
  @ApiProperty(FILTERS) filters: Record<string, unknown>;
  @ApiProperty({ enum: ['day', 'month'] }) interval: 'day' | 'month';
  @ApiProperty({ type: () => [StatsPointResponse] }) points: StatsPointResponse[];
}

export class StatsBreakdownRowResponse {
  @ApiProperty({ description: 'the category, partnership slug or store name' }) key: string;
}

export class StatsBreakdownResponse {
  @ApiProperty(FILTERS) filters: Record<string, unknown>;
  @ApiProperty() by: string;
  @ApiProperty({
    type: 'array',
    items: { $ref: '#/components/schemas/StatsBreakdownRowResponse' },
    description:
      'by a category: key, incidents, share; by partnership: key, policeForceArea, region and the ' +
      'figures; by store (members): key, storeId and the figures',
  })
  rows: StatsBreakdownRowResponse[];
}
