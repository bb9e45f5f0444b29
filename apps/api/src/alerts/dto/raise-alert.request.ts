import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ALERT_EXPIRY_MAX_SECONDS,
  ALERT_MESSAGE_MAX,
  AlertPriority,
  AlertTarget,
  AlertType,
} from '@app/alerts';
import { IsHumanText } from '@app/errors';

export class AlertTargetRequest {
  @ApiProperty({ enum: AlertTarget, enumName: 'AlertTarget' })
  @IsIn(Object.values(AlertTarget))
  kind: AlertTarget;

  /** required when kind is talk_group */
  @ApiPropertyOptional({ type: String, description: 'required when kind is talk_group' })
  @ValidateIf((t: AlertTargetRequest) => t.kind === AlertTarget.TalkGroup || t.talkGroupId !== undefined)
  @IsUUID()
  talkGroupId?: string;

  /** required when kind is store */
  @ApiPropertyOptional({ type: String, description: 'required when kind is store' })
  @ValidateIf((t: AlertTargetRequest) => t.kind === AlertTarget.Store || t.storeId !== undefined)
  @IsUUID()
  storeId?: string;
}

export class RaiseAlertRequest {
  @ApiProperty({ enum: AlertType, enumName: 'AlertType' })
  @IsEnum(AlertType)
  type: AlertType;

  /** defaults by type; emergency only for assistance_requested (which always is) */
  @ApiPropertyOptional({
    enum: AlertPriority,
    enumName: 'AlertPriority',
    description: 'defaults by type; emergency only for assistance_requested (which always is)',
  })
  @IsOptional()
  @IsEnum(AlertPriority)
  priority?: AlertPriority;

  @ApiProperty({ type: String })
  @IsString()
  @MinLength(1)
  @MaxLength(ALERT_MESSAGE_MAX)
  @IsHumanText({ multiline: true })
  message: string;

  /** only with offender_sighted */
  @ApiPropertyOptional({ type: String, description: 'only with offender_sighted' })
  @IsOptional()
  @IsUUID()
  offenderProfileId?: string;

  // ValidateNested alone lets a missing or non-object target through to the service
  @ApiProperty({ type: () => AlertTargetRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AlertTargetRequest)
  target: AlertTargetRequest;

  @ApiPropertyOptional({ type: Number })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(ALERT_EXPIRY_MAX_SECONDS)
  expiresInSeconds?: number;
}
