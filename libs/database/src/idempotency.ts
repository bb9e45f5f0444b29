import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
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
 * Claims the key as the first write of the business transaction, which TenantDb.run opened with
 * `{ lockTimeoutMs: claim.lockTimeoutMs }`. A concurrent duplicate blocks on the unique index: if
 * the holder commits within the lock timeout it sees IdempotencyKeyTaken (and replays), otherwise
 * 409 in flight. A rollback releases the key, so a retry runs afresh.
 */
export async function claimIdempotencyKey(
  em: EntityManager,
  scope: TenantScope,
  claim: IdempotencyClaim,
): Promise<string> {
  try {
    // the lock timeout only guards the claim: reset in the same statement (a failed claim ends the
    // transaction anyway)
    const rows: { id: string }[] = await em.query(
      `WITH claimed AS (
         INSERT INTO idempotency_keys (partnership_id, principal_id, key, fingerprint, state)
         VALUES ($1, $2, $3, $4, 'in_flight')
         ON CONFLICT (partnership_id, principal_id, key) DO NOTHING RETURNING id)
       SELECT id, set_config('lock_timeout', '0', true) FROM claimed`,
      [scope.partnershipId, scope.actorId, claim.key, claim.fingerprint],
    );
    if (!rows.length) {
      throw new IdempotencyKeyTaken();
    }
    return rows[0].id;
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') {
      throw inFlight();
    }
    throw err;
  }
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
