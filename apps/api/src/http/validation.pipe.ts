import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { CompiledValidation } from '@app/errors';

/**
 * The api's global pipe: a validator compiled from the same decorators accepts valid input without
 * class-validator's per call work; class-validator judges (and words the errors for) the rest.
 */
export class HubValidationPipe extends ValidationPipe {
  /** decided once: the pipe's options do not change per request */
  private readonly compiled: CompiledValidation | null;

  constructor(options: ValidationPipeOptions) {
    super(options);
    this.compiled = CompiledValidation.mirrors(this.validatorOptions) ? new CompiledValidation() : null;
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    if (this.compiled?.isValid(object)) {
      return [];
    }
    return super.validate(object, options);
  }
}
