import { ErrorCode } from './error-code';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** A business-rule failure with a stable code; knows nothing of HTTP. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    /** Extra headers the transport should send (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  static forbidden(message = 'You do not have permission to do that'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }

  static invalid(field: string, problem: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, `${field}: ${problem}`, [
      { field, problems: [problem] },
    ]);
  }
}
