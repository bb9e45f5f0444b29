import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsHumanText } from '@app/errors';

const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

/** Optional human-readable text of at most `max` characters (validated and documented). */
export function Text(max: number, multiline = false): PropertyDecorator {
  return apply(
    ApiPropertyOptional({ type: String, maxLength: max }),
    IsOptional(),
    IsString(),
    MaxLength(max),
    IsHumanText({ multiline }),
  );
}

/** Required human-readable text of `min` to `max` characters (validated and documented). */
export function RequiredText(min: number, max: number, multiline = false): PropertyDecorator {
  return apply(
    ApiProperty({ type: String, minLength: min, maxLength: max }),
    IsString(),
    MinLength(min),
    MaxLength(max),
    IsHumanText({ multiline }),
  );
}
