import type { DataSource } from 'typeorm';
import { Incident, IncidentStatus, IncidentType, InjuryLevel, WeaponKind } from '@app/incidents';

export interface IncidentSeed {
  partnershipId: string;
  storeId: string;
  reportedBy: string;
  occurredAt: Date;
  valuePence?: number;
  types?: IncidentType[];
  status?: IncidentStatus;
  offenders?: Incident['offenders'];
  offenderId?: string | null;
}

/** Inserts a report as the table owner (below RLS), with the value and time a test needs. */
export async function seedIncident(owner: DataSource, s: IncidentSeed): Promise<string> {
  const value = s.valuePence ?? 5000;
  const { identifiers } = await owner.manager.insert(Incident, {
    partnershipId: s.partnershipId,
    storeId: s.storeId,
    status: s.status ?? IncidentStatus.Submitted,
    types: s.types ?? [IncidentType.TheftShop],
    triggers: [],
    weapon: WeaponKind.None,
    injury: InjuryLevel.None,
    goods: value
      ? [{ description: 'Goods', sku: null, quantity: 1, unitPricePence: value, recoveredQuantity: 0 }]
      : [],
    valuePence: String(value),
    recoveredValuePence: '0',
    occurredAt: s.occurredAt,
    reportedAt: s.occurredAt,
    narrative: 'Took goods and left without paying.',
    offenders: s.offenders ?? [],
    offenderId: s.offenderId ?? null,
    witnesses: [],
    reportedBy: s.reportedBy,
    reportedByKind: 'user',
  });
  return identifiers[0].id as string;
}

/** A known subject body for POST /subjects. */
export function buildSubjectRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'known',
    name: 'Alex Example',
    aliases: ['Lex'],
    description: {
      height: 'about 5ft 10',
      build: 'slim',
      hair: 'short ginger',
      distinguishingMarks: 'scar left cheek',
    },
    vehicles: [{ registration: 'ab12 cde', make: 'Ford', colour: 'blue' }],
    ...overrides,
  };
}
