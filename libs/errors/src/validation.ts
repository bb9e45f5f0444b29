import type { ValidationError } from 'class-validator';
import { DomainError, type FieldProblem } from './domain.error';
import { ErrorCode } from './error-code';

/** Flattens class-validator errors into one entry per field path, e.g. `items[0].valuePence`. */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property)
      ? `${prefix}[${e.property}]`
      : prefix
        ? `${prefix}.${e.property}`
        : e.property;
    if (e.constraints) {
      out.push({ field: path, problems: Object.values(e.constraints) });
    }
    if (e.children?.length) {
      out.push(...fieldProblems(e.children, path));
    }
  }
  return out;
}

export function validationError(errors: ValidationError[]): DomainError {
  const details = fieldProblems(errors);
  const fields = details.map((d) => d.field).join(', ');
  return new DomainError(ErrorCode.ValidationFailed, `Please check: ${fields}`, details);
}
