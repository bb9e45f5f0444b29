import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Actor, Role } from '@app/auth';

export class ActorSummaryResponse implements Omit<Actor, 'sessionId'> {
  @ApiProperty({ enum: ['user', 'device'] })
  kind: Actor['kind'];
  /** user id or device id */
  @ApiProperty({ type: String, description: 'user id or device id' })
  id: string;
  @ApiProperty({ type: String })
  partnershipId: string;
  @ApiProperty({ enum: Role, enumName: 'Role' })
  role: Role;
  /** set for shop roles and devices */
  @ApiProperty({ type: String, nullable: true, description: 'set for shop roles and devices' })
  storeId: string | null;
}

export class TokenResponse {
  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';
  @ApiProperty({ type: String })
  accessToken: string;
  /** seconds */
  @ApiProperty({ type: Number, description: 'seconds' })
  expiresIn: number;
  /** absent for tablets, which sign in again with their device credential */
  @ApiPropertyOptional({
    type: String,
    description: 'absent for tablets, which sign in again with their device credential',
  })
  refreshToken?: string;
  @ApiProperty({ type: () => ActorSummaryResponse })
  actor: ActorSummaryResponse;
}
