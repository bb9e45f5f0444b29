import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsHumanText } from '@app/errors';

/** Optional human-readable text of at most `max` characters. */
export function Text(max: number, multiline = false): PropertyDecorator {
  return (target, key) =>
    [IsOptional(), IsString(), MaxLength(max), IsHumanText({ multiline })].forEach((d) => d(target, key));
}

/** Required human-readable text of `min` to `max` characters. */
export function RequiredText(min: number, max: number, multiline = false): PropertyDecorator {
  return (target, key) =>
    [IsString(), MinLength(min), MaxLength(max), IsHumanText({ multiline })].forEach((d) => d(target, key));
}
