import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { namedQuery } from './named-query';
import { stageWrite } from './staged-writes';

/** What the HTTP layer learnt from the Idempotency-Key header before the handler ran. */
export interface IdempotencyClaim {
  key: string;
  /** SHA-256 of method, route and canonical body */
  fingerprint: string;
  /** how long to wait for a concurrent duplicate before answering 409 */
  lockTimeoutMs: number;
}

/** Raised when a committed request already holds the key: the caller replays or answers 422. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('Idempotency-Key already recorded');
    this.name = 'IdempotencyKeyTaken';
  }
}

/**
 * Claims the key as the first write of the business transaction, which TenantDb opened with
 * `{ lockTimeoutMs: claim.lockTimeoutMs }`, and checks the caller's session in the same statement
 * (`sessionArgs`: session_is_active's arguments), so a revoked session writes nothing. A concurrent
 * duplicate blocks on the unique index: if the holder commits within the lock timeout it sees
 * IdempotencyKeyTaken (and replays), otherwise 409 in flight. A rollback releases the key, so a
 * retry runs afresh.
 */
export async function claimIdempotencyKey(
  em: EntityManager,
  scope: TenantScope,
  claim: IdempotencyClaim,
  sessionArgs: unknown[],
): Promise<string> {
  let rows: { active: boolean; id: string | null }[];
  try {
    // the lock timeout only guards the claim: reset in the same statement (a failed claim ends the
    // transaction anyway)
    rows = await namedQuery(
      em,
      `WITH session AS (SELECT session_is_active($5, $6, $7, $8, $9, $10) AS active),
       claimed AS (
         INSERT INTO idempotency_keys (partnership_id, principal_id, key, fingerprint, state)
         SELECT $1::uuid, $2::uuid, $3::text, $4::text, 'in_flight' FROM session WHERE active
         ON CONFLICT (partnership_id, principal_id, key) DO NOTHING RETURNING id)
       SELECT session.active, claimed.id, set_config('lock_timeout', '0', true)
       FROM session LEFT JOIN claimed ON true`,
      [scope.partnershipId, scope.actorId, claim.key, claim.fingerprint, ...sessionArgs],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') {
      throw inFlight();
    }
    throw err;
  }
  if (!rows[0].active) {
    throw new DomainError(ErrorCode.Unauthenticated, 'Please sign in again');
  }
  if (!rows[0].id) {
    throw new IdempotencyKeyTaken();
  }
  return rows[0].id;
}

/**
 * Stores the response in the same transaction as the change (staged: it is written with the
 * transaction's other bookkeeping rows as it commits); returns the exact bytes to send.
 */
export async function recordIdempotentResponse(
  em: EntityManager,
  claimId: string,
  response: { statusCode: number; body: unknown; resourceType: string; resourceId: string },
): Promise<{ statusCode: number; body: string }> {
  const body = JSON.stringify(response.body);
  await stageWrite(
    em,
    (param) =>
      `UPDATE idempotency_keys SET state = 'completed', status_code = ${param(response.statusCode)},
         response_body = ${param(body)}, resource_type = ${param(response.resourceType)},
         resource_id = ${param(response.resourceId)} WHERE id = ${param(claimId)}`,
  );
  return { statusCode: response.statusCode, body };
}

export function inFlight(): DomainError {
  return new DomainError(
    ErrorCode.IdempotencyKeyInFlight,
    'This request is still being processed; please retry shortly',
    undefined,
    { 'retry-after': '1' },
  );
}
