import { ApiHideProperty } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';

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

/**
 * Special-category data the hub never records (domain brief 7.12): a DTO that extends this refuses
 * each of these fields by name instead of ignoring it.
 */
export class RefusesSpecialCategories {
  @ApiHideProperty() @Refused() ethnicity?: never;
  @ApiHideProperty() @Refused() ethnicOrigin?: never;
  @ApiHideProperty() @Refused() race?: never;
  @ApiHideProperty() @Refused() nationality?: never;
  @ApiHideProperty() @Refused() religion?: never;
  @ApiHideProperty() @Refused() belief?: never;
  @ApiHideProperty() @Refused() sexualOrientation?: never;
  @ApiHideProperty() @Refused() sexuality?: never;
  @ApiHideProperty() @Refused() politics?: never;
  @ApiHideProperty() @Refused() politicalOpinion?: never;
  @ApiHideProperty() @Refused() health?: never;
  @ApiHideProperty() @Refused() tradeUnion?: never;
  @ApiHideProperty() @Refused() tradeUnionMembership?: never;
}
