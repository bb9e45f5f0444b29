import { DomainError } from '@app/errors';

/** For `repository.call() ?? notFound('Thing')`: repositories answer null, services throw. */
export function notFound(what: string): never {
  throw DomainError.notFound(what);
}
