import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@app/errors';

/** Path ids: anything but a UUID is simply not found (no oracle on id format across tenants). */
export const UuidParam = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => DomainError.notFound('Record'),
});
