import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ErrorCode, type ErrorResponse as ErrorBody, type FieldProblem } from '@app/errors';

// Schema classes and decorators for the OpenAPI document only; nothing here runs on a request.

export class FieldProblemResponse implements FieldProblem {
  @ApiProperty({ type: String, description: 'the field path, e.g. goods[0].quantity' })
  field: string;
  @ApiProperty({ type: [String] })
  problems: string[];
}

/** The one body of every HTTP error (AllExceptionsFilter). */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ type: Number })
  statusCode: number;
  @ApiProperty({
    enum: ErrorCode,
    enumName: 'ErrorCode',
    description: 'stable; switch on this, not on message',
  })
  code: ErrorCode;
  @ApiProperty({ type: String })
  message: string;
  @ApiProperty({ type: String })
  requestId: string;
  @ApiPropertyOptional({
    type: () => [FieldProblemResponse],
    description: 'on 400 VALIDATION_FAILED: every field that failed, with its problems',
  })
  details?: FieldProblem[];
}

const ERROR_MEANING: Record<number, string> = {
  400: 'the request failed validation (VALIDATION_FAILED, with details) or was malformed',
  401: 'no valid bearer token',
  403: "the actor's role may not do this, or the thing is outside its scope",
  404: 'not found in the caller’s partnership',
  409: 'the current state forbids this, or it clashes with an existing record',
  422: 'the Idempotency-Key was used before with a different body',
  429: 'rate limited; retry after the retry-after header',
};

/** Error answers of a route, all with the shared ErrorResponse body. */
export function ApiErrors(...statuses: (keyof typeof ERROR_MEANING)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, type: ErrorResponse, description: ERROR_MEANING[status] }),
    ),
  );
}

const pages = new Map<Type<unknown>, Type<unknown>>();
const lists = new Map<Type<unknown>, Type<unknown>>();

function schemaClass(name: string, define: (target: object) => void): Type<unknown> {
  const cls = class {};
  Object.defineProperty(cls, 'name', { value: name });
  define(cls.prototype);
  return cls;
}

const baseName = (item: Type<unknown>) => item.name.replace(/(Response|Dto)$/, '');

/** The schema of PageResponse<item>: `{ items, nextCursor }`. */
export function PageOf(item: Type<unknown>): Type<unknown> {
  let page = pages.get(item);
  if (!page) {
    page = schemaClass(`${baseName(item)}Page`, (p) => {
      ApiProperty({ type: () => [item] })(p, 'items');
      ApiProperty({
        type: String,
        nullable: true,
        description: 'pass as ?cursor= for the next page; null at the end',
      })(p, 'nextCursor');
    });
    pages.set(item, page);
  }
  return page;
}

/** The schema of an unpaged list, `{ items }`. */
export function ListOf(item: Type<unknown>): Type<unknown> {
  let list = lists.get(item);
  if (!list) {
    list = schemaClass(`${baseName(item)}List`, (p) => ApiProperty({ type: () => [item] })(p, 'items'));
    lists.set(item, list);
  }
  return list;
}

/** A 200 whose body is a file (a view, a pack, a report) rather than JSON. */
export function ApiFileResponse(mediaType: string): MethodDecorator & ClassDecorator {
  return ApiOkResponse({ content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } });
}
