import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Special-category data the hub never records (domain brief 7.12). */
export const REFUSED_FIELDS = [
  'ethnicity',
  'ethnicOrigin',
  'race',
  'nationality',
  'religion',
  'belief',
  'sexualOrientation',
  'sexuality',
  'politics',
  'politicalOpinion',
  'health',
  'tradeUnion',
  'tradeUnionMembership',
] as const;

/** Fails whenever the property is present, naming it: such fields are refused, not ignored. */
export function Refused(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'refused',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `$property is never recorded: this hub keeps no field for ethnicity, race, religion, sexual orientation, politics, health or trade-union membership`,
        ...options,
      },
      validator: { validate: (value: unknown) => value === undefined },
    });
}
