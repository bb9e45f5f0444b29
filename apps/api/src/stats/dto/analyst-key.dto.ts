import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsUUID } from 'class-validator';
import { OrganisationKind, type AnalystApiKey, type OrganisationView } from '@app/stats';
import { RequiredText } from '../../http/text-fields';

export class CreateOrganisationRequest {
  @RequiredText(1, 200)
  name: string;

  @ApiProperty({ enum: OrganisationKind, enumName: 'OrganisationKind' })
  @IsEnum(OrganisationKind)
  kind: OrganisationKind;
}

export class OrganisationResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  name: string;
  @ApiProperty({ enum: OrganisationKind, enumName: 'OrganisationKind' })
  kind: OrganisationKind;
  /** whether this partnership shares its aggregate statistics with it */
  @ApiProperty({ type: Boolean, description: 'whether this partnership shares its aggregate statistics with it' })
  shared: boolean;

  static from(v: OrganisationView): OrganisationResponse {
    return { id: v.organisation.id, name: v.organisation.name, kind: v.organisation.kind, shared: v.shared };
  }
}

export class IssueAnalystKeyRequest {
  @ApiProperty({ type: String })
  @IsUUID()
  organisationId: string;

  @RequiredText(1, 120)
  label: string;
}

export class AnalystKeyResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  organisationId: string;
  @ApiProperty({ type: String })
  label: string;
  @ApiProperty({ type: String })
  createdAt: string;
  @ApiProperty({ type: String, nullable: true })
  lastUsedAt: string | null;
  @ApiProperty({ type: Boolean })
  revoked: boolean;

  static from(k: AnalystApiKey): AnalystKeyResponse {
    return {
      id: k.id,
      organisationId: k.organisationId,
      label: k.label,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revoked: !!k.revokedAt,
    };
  }
}

export class IssuedAnalystKeyResponse extends AnalystKeyResponse {
  /** shown once: sent as `Authorization: ApiKey <secret>`; only its SHA-256 is stored */
  @ApiProperty({ type: String, description: 'shown once: sent as `Authorization: ApiKey <secret>`; only its SHA-256 is stored' })
  secret: string;
}
