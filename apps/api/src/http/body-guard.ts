import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError, toErrorResponse } from '@app/errors';

export const MAX_BODY_DEPTH = 32;
const POLLUTION_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first problem with a parsed JSON body that validation cannot be trusted to catch: nesting
 * deep enough to exhaust the transformer's recursion, or a prototype-pollution key at any depth.
 * Walks iteratively, so a hostile body cannot overflow this check either.
 */
export function bodyProblem(body: unknown): { field: string; problem: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    // only what a JSON parser builds: an upload's body is its raw stream, not data to walk
    if (!isJsonContainer(value)) {
      continue;
    }
    if (depth > MAX_BODY_DEPTH) {
      return { field: path || 'body', problem: `is nested more than ${MAX_BODY_DEPTH} levels deep` };
    }
    for (const key of Object.keys(value)) {
      const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && POLLUTION_KEYS.has(key)) {
        return { field: child, problem: 'is not an allowed property name' };
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return null;
}

function isJsonContainer(value: unknown): value is object {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/** Fastify preValidation hook answering 400 in the one error shape before any handler runs. */
export function bodyGuardHook(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const problem = bodyProblem(req.body);
  if (!problem) {
    done();
    return;
  }
  const { headers: _headers, ...body } = toErrorResponse(DomainError.invalid(problem.field, problem.problem));
  void reply.code(body.statusCode).send(body);
}
