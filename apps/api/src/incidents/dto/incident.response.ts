import { ApiProperty } from '@nestjs/swagger';
import { AppearanceResponse } from './appearance';
import {
  type Incident,
  type IncidentAmendment,
  IncidentStatus,
  IncidentTrigger,
  IncidentType,
  InjuryLevel,
  WeaponKind,
  type Witness,
} from '@app/incidents';

export class GoodsLineResponse {
  @ApiProperty({ type: String })
  description: string;
  @ApiProperty({ type: String, nullable: true })
  sku: string | null;
  @ApiProperty({ type: Number })
  quantity: number;
  @ApiProperty({ type: Number })
  unitPricePence: number;
  @ApiProperty({ type: Number })
  recoveredQuantity: number;
}

export class OffenderDescriptionResponse extends AppearanceResponse {
  @ApiProperty({ type: String, nullable: true })
  clothing: string | null;
  @ApiProperty({ type: String, nullable: true })
  vehicleRegistration: string | null;
  @ApiProperty({ type: String, nullable: true })
  directionOfTravel: string | null;
  @ApiProperty({ type: String, nullable: true })
  exactWords: string | null;
  @ApiProperty({ type: String, nullable: true })
  freeText: string | null;
}

export class WitnessResponse {
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ enum: ['staff', 'customer', 'other'] })
  kind: Witness['kind'];
  @ApiProperty({ type: String, nullable: true })
  contact: string | null;
}

export class IncidentResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  storeId: string;
  @ApiProperty({ enum: IncidentStatus, enumName: 'IncidentStatus' })
  status: IncidentStatus;
  @ApiProperty({ type: Number })
  version: number;
  @ApiProperty({ enum: IncidentType, enumName: 'IncidentType', isArray: true })
  types: IncidentType[];
  @ApiProperty({ enum: IncidentTrigger, enumName: 'IncidentTrigger', isArray: true })
  triggers: IncidentTrigger[];
  @ApiProperty({ enum: WeaponKind, enumName: 'WeaponKind' })
  weapon: WeaponKind;
  @ApiProperty({ enum: InjuryLevel, enumName: 'InjuryLevel' })
  injury: InjuryLevel;
  @ApiProperty({ type: () => [GoodsLineResponse] })
  goods: GoodsLineResponse[];
  @ApiProperty({ type: Number })
  valuePence: number;
  @ApiProperty({ type: Number })
  recoveredValuePence: number;
  @ApiProperty({ type: Number })
  damageValuePence: number;
  @ApiProperty({ type: String })
  occurredAt: string;
  @ApiProperty({ type: String, nullable: true })
  reportedAt: string | null;
  @ApiProperty({ type: String })
  narrative: string;
  @ApiProperty({ type: () => [OffenderDescriptionResponse] })
  offenders: OffenderDescriptionResponse[];
  @ApiProperty({ type: String, nullable: true })
  offenderId: string | null;
  @ApiProperty({ type: () => [WitnessResponse] })
  witnesses: WitnessResponse[];
  @ApiProperty({ type: Boolean })
  policeReported: boolean;
  @ApiProperty({ type: String, nullable: true })
  crimeReference: string | null;
  @ApiProperty({ type: Boolean })
  policeAttended: boolean;
  @ApiProperty({ type: Boolean })
  cctvAvailable: boolean;
  @ApiProperty({ type: String, nullable: true })
  cctvOverwriteOn: string | null;
  @ApiProperty({ type: Number, nullable: true })
  cctvClockOffsetSeconds: number | null;
  @ApiProperty({ type: Boolean })
  victimSupportOffered: boolean;
  @ApiProperty({ type: String })
  reportedBy: string;
  @ApiProperty({ type: String })
  reportedByKind: string;
  @ApiProperty({ type: String })
  createdAt: string;
  @ApiProperty({ type: String })
  updatedAt: string;

  static from(i: Incident): IncidentResponse {
    return {
      id: i.id,
      storeId: i.storeId,
      status: i.status,
      version: i.version,
      types: i.types,
      triggers: i.triggers,
      weapon: i.weapon,
      injury: i.injury,
      goods: i.goods,
      valuePence: Number(i.valuePence),
      recoveredValuePence: Number(i.recoveredValuePence),
      damageValuePence: Number(i.damageValuePence),
      occurredAt: i.occurredAt.toISOString(),
      reportedAt: i.reportedAt?.toISOString() ?? null,
      narrative: i.narrative,
      offenders: i.offenders,
      offenderId: i.offenderId,
      witnesses: i.witnesses,
      policeReported: i.policeReported,
      crimeReference: i.crimeReference,
      policeAttended: i.policeAttended,
      cctvAvailable: i.cctvAvailable,
      cctvOverwriteOn: i.cctvOverwriteOn,
      cctvClockOffsetSeconds: i.cctvClockOffsetSeconds,
      victimSupportOffered: i.victimSupportOffered,
      reportedBy: i.reportedBy,
      reportedByKind: i.reportedByKind,
      createdAt: i.createdAt.toISOString(),
      updatedAt: i.updatedAt.toISOString(),
    };
  }
}

export class AmendmentResponse {
  @ApiProperty({ type: Number })
  version: number;
  @ApiProperty({ type: String })
  changedBy: string;
  @ApiProperty({ type: String })
  changedByKind: string;
  @ApiProperty({ type: String })
  at: string;
  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
  @ApiProperty({
    type: 'object',
    description: 'per changed field, its value before and after',
    additionalProperties: {
      type: 'object',
      properties: { from: {}, to: {} },
      required: ['from', 'to'],
    },
  })
  changes: Record<string, { from: unknown; to: unknown }>;

  static from(a: IncidentAmendment): AmendmentResponse {
    return {
      version: a.version,
      changedBy: a.changedBy,
      changedByKind: a.changedByKind,
      at: a.createdAt.toISOString(),
      reason: a.reason,
      changes: a.changes,
    };
  }
}
