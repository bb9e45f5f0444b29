import type { ErrorCode } from './error-code';
import type { FieldProblem } from './domain.error';

/** The one body of every HTTP error (and the fields reused by socket acks and failed jobs). */
export interface ErrorResponse {
  statusCode: number;
  code: ErrorCode;
  message: string;
  requestId: string;
  details?: FieldProblem[];
}
