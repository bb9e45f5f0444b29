import { randomUUID } from 'node:crypto';
import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { catchError, from, lastValueFrom, map, type Observable, switchMap, throwError } from 'rxjs';
import { scopeOf, sha256Hex, type TenantScope } from '@app/auth';
import { AppConfig } from '@app/config';
import {
  claimIdempotencyKey,
  type IdempotencyClaim,
  type IdempotencyKey,
  IdempotencyKeyTaken,
  IdempotencyRepository,
  inFlight,
  recordIdempotentResponse,
  TenantDb,
} from '@app/database';
import { DomainError, ErrorCode } from '@app/errors';
import { canonicalJson } from '@app/evidence';
import { sessionCheckArgs } from '@app/identity';
import { log } from '@app/logging';
import { SESSION_CHECKED_BY_ROUTE_KEY } from '../auth/access.decorators';
import type { HubRequest } from './request';

/** The kind of resource an idempotent route creates (recorded with the key, e.g. 'incident'). */
const RESOURCE_TYPE = 'hub:idempotent-resource';

/** An IETF sf-string may arrive quoted; the key itself is 1-255 visible ASCII characters. */
const KEY = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: unknown): string {
  const raw = typeof header === 'string' ? header.trim().replace(/^"(.*)"$/, '$1') : '';
  if (!raw) {
    throw new DomainError(ErrorCode.IdempotencyKeyMissing, 'An Idempotency-Key header is required', [
      { field: 'Idempotency-Key', problems: ['is required'] },
    ]);
  }
  if (!KEY.test(raw) || raw.includes('"')) {
    throw new DomainError(ErrorCode.IdempotencyKeyMissing, 'The Idempotency-Key header is malformed', [
      { field: 'Idempotency-Key', problems: ['must be 1-255 visible ASCII characters (a UUID is best)'] },
    ]);
  }
  return raw;
}

/**
 * Method, route, path parameters (so one key on two reports' statements is two requests) and the
 * canonical body. A route without parameters hashes as it always has, so stored keys still match.
 */
function fingerprintOf(req: HubRequest): string {
  const params = (req.params ?? {}) as Record<string, unknown>;
  const route = Object.keys(params).length
    ? `${req.routeOptions.url} ${canonicalJson(params, { integersOnly: false })}`
    : req.routeOptions.url;
  return sha256Hex(`${req.method} ${route}\n${canonicalJson(req.body, { integersOnly: false })}`);
}

/**
 * Offline-safe POSTs (quality.md section 7). Before the handler: 400 without a key. The route runs
 * as one unit of work: the key is claimed (and the session checked, see SESSION_CHECKED_BY_ROUTE_KEY)
 * as the first write of a transaction that every repository
 * call of the handler joins, and what the controller returns is recorded in it, so key, change,
 * outbox and response commit together, and exactly the recorded bytes are sent. When the key is
 * already taken the claim fails and the transaction rolls back: a completed record with the same
 * fingerprint is replayed byte for byte, a different fingerprint gets 422, and a duplicate racing
 * the original waits for it briefly, then replays, or gets 409 if it is still in flight. (No lookup
 * before the handler: replays are rare, and that lookup was a whole transaction on every report.)
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: TenantDb,
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<HubRequest>();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    if (!req.actor) {
      throw new Error('IdempotencyInterceptor needs an authenticated route');
    }
    const scope = scopeOf(req.actor, String(req.id));
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    const fingerprint = fingerprintOf(req);
    const resourceType = this.reflector.get<string>(RESOURCE_TYPE, ctx.getHandler());
    const statusCode =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? HttpStatus.CREATED;
    const claim: IdempotencyClaim = {
      // R5's negative control (TEST_DEFECTS, tests only): the client's key ignored for statements
      key:
        resourceType === 'witness_statement' && this.config.testDefects.has('statement-key-ignored')
          ? randomUUID()
          : key,
      fingerprint,
      lockTimeoutMs: this.config.idempotency.lockTimeoutMs,
    };
    // The key is claimed as the transaction's first write, when the handler first needs the
    // database (after validation), and the handler's answer is recorded as its last.
    const work = this.db.unitOfWork(
      scope,
      (em) => claimIdempotencyKey(em, scope, claim, sessionCheckArgs(req.actor!)!),
      async (open) => {
        const body = (await lastValueFrom(next.handle())) as { id: string };
        const { em, begun: claimId } = await open();
        return recordIdempotentResponse(em, claimId, { statusCode, body, resourceType, resourceId: body.id });
      },
      { lockTimeoutMs: claim.lockTimeoutMs },
    );
    return from(work).pipe(
      map((recorded) => send(reply, recorded.statusCode, recorded.body)),
      catchError((err: unknown) =>
        err instanceof IdempotencyKeyTaken
          ? from(this.keys.find(scope, key)).pipe(
              switchMap((record) => {
                if (!record) {
                  return throwError(() => inFlight());
                }
                return from(this.replay(scope, record, fingerprint, reply));
              }),
            )
          : throwError(() => err),
      ),
    );
  }

  private async replay(
    scope: TenantScope,
    record: IdempotencyKey,
    fingerprint: string,
    reply: FastifyReply,
  ): Promise<string> {
    // R5's negative control skips this check (TEST_DEFECTS=idempotency-fingerprint-off, tests only)
    if (record.fingerprint !== fingerprint && !this.config.testDefects.has('idempotency-fingerprint-off')) {
      log().warn(
        { event: 'idempotency_key_reused', principalId: scope.actorId, keySha256: sha256Hex(record.key) },
        'security: Idempotency-Key reused with a different request',
      );
      throw new DomainError(
        ErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was already used for a different request',
        [{ field: 'Idempotency-Key', problems: ['was used with a different body'] }],
      );
    }
    if (record.statusCode === null || record.responseBody === null) {
      throw inFlight();
    }
    await this.keys.logReplay(scope, record);
    void reply.header('idempotent-replayed', 'true');
    return send(reply, record.statusCode, record.responseBody);
  }
}

function send(reply: FastifyReply, statusCode: number, body: string): string {
  void reply.status(statusCode).header('content-type', 'application/json; charset=utf-8');
  return body;
}

/**
 * Marks a POST as idempotent: requires the Idempotency-Key header, and runs the route as one unit
 * of work that records what it returns (an object with the created resource's `id`).
 */
export const Idempotent = (resourceType: string) =>
  applyDecorators(
    SetMetadata(RESOURCE_TYPE, resourceType),
    SetMetadata(SESSION_CHECKED_BY_ROUTE_KEY, true),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description: 'A UUID made with the draft; retries reuse it (kept at least 30 days)',
    }),
  );
