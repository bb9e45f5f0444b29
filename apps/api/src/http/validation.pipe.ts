import { ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { CompiledValidation } from '@app/errors';

/**
 * The api's global pipe: a validator compiled from the same decorators accepts valid input without
 * class-validator's per call work; class-validator judges (and words the errors for) the rest.
 */
export class HubValidationPipe extends ValidationPipe {
  private readonly compiled = new CompiledValidation();

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    if (options && CompiledValidation.mirrors(options) && this.compiled.isValid(object)) {
      return [];
    }
    return super.validate(object, options);
  }
}
