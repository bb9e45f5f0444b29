import { ApiProperty } from '@nestjs/swagger';
import type { Partnership } from '@app/partnerships';

export class PartnershipResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ type: String })
  slug: string;
  @ApiProperty({ type: String })
  policeForceArea: string;
  @ApiProperty({ type: String })
  jurisdiction: string;
  @ApiProperty({ type: String })
  region: string;

  static from(p: Partnership): PartnershipResponse {
    return {
      id: p.id,
      name: p.name,
      slug: p.slug,
      policeForceArea: p.policeForceArea,
      jurisdiction: p.jurisdiction,
      region: p.region,
    };
  }
}
