import type { Partnership } from '@app/partnerships';

export class PartnershipResponse {
  id: string;
  name: string;
  slug: string;
  policeForceArea: string;
  jurisdiction: string;
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
