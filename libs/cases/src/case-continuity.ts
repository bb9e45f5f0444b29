import type { EntityManager } from 'typeorm';
import { type ChainedEntry, chainHash, type ContinuityEntry, GENESIS_HASH } from '@app/evidence';
import { CaseContinuityEntry } from './entities/case.entity';

export interface ContinuityStep {
  actorId: string;
  actorKind: string;
  action: string;
  objectType: string;
  objectId: string | null;
  sha256?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/** The entry exactly as hashed and as written to continuity.jsonl. */
export function continuityEntryOf(row: CaseContinuityEntry): ChainedEntry {
  return {
    seq: row.seq,
    case_id: row.caseId,
    at: row.at.toISOString(),
    actor_id: row.actorId,
    actor_kind: row.actorKind,
    action: row.action,
    object_type: row.objectType,
    object_id: row.objectId,
    sha256: row.sha256,
    details: row.details,
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Appends steps to a case's chain in the caller's transaction, under the case's chain lock (the
 * trigger takes the same lock and refuses anything that does not continue the chain). Steps whose
 * (action, object_id) is already in the chain are skipped when `once` is set, so re-syncing is
 * idempotent.
 */
export async function appendContinuity(
  em: EntityManager,
  partnershipId: string,
  caseId: string,
  steps: ContinuityStep[],
  opts: { once?: boolean } = {},
): Promise<number> {
  if (!steps.length) {
    return 0;
  }
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`continuity:${caseId}`]);
  const last = await em.findOne(CaseContinuityEntry, { where: { caseId }, order: { seq: 'DESC' } });
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  let todo = steps;
  if (opts.once) {
    const rows: { action: string; object_id: string }[] = await em.query(
      `SELECT action, object_id FROM case_continuity WHERE case_id = $1 AND object_id IS NOT NULL`,
      [caseId],
    );
    const seen = new Set(rows.map((r) => `${r.action}|${r.object_id}`));
    todo = steps.filter((s) => !seen.has(`${s.action}|${s.objectId}`));
  }
  const rows: Partial<CaseContinuityEntry>[] = [];
  for (const s of todo) {
    seq += 1;
    // dated as it enters the chain, never before the line it follows; milliseconds only, as what
    // the hash covers must survive the round trip through timestamptz
    const at = new Date(Math.max(Date.now(), last?.at.getTime() ?? 0));
    const entry: ContinuityEntry = {
      seq,
      case_id: caseId,
      at: at.toISOString(),
      actor_id: s.actorId,
      actor_kind: s.actorKind,
      action: s.action,
      object_type: s.objectType,
      object_id: s.objectId,
      sha256: s.sha256 ?? null,
      details: s.details ?? {},
    };
    const hash = chainHash(entry, prev);
    rows.push({
      partnershipId,
      caseId,
      seq,
      at,
      actorId: s.actorId,
      actorKind: s.actorKind,
      action: s.action,
      objectType: s.objectType,
      objectId: s.objectId,
      sha256: entry.sha256,
      details: entry.details,
      prevHash: prev,
      hash,
    });
    prev = hash;
  }
  for (const row of rows) {
    // one at a time: the trigger checks each row against the one before
    await em.insert(CaseContinuityEntry, row);
  }
  return rows.length;
}

/**
 * A line entered after the fact (the report's evidence, taken in when a case holds it): dated when
 * it enters the chain, with when the hub first recorded the object.
 */
function backfilled(recordedAt: Date): { backfilled: true; recorded_at: string } {
  return { backfilled: true, recorded_at: recordedAt.toISOString() };
}

/**
 * Brings the chain up to date with the evidence on the case's incidents: each exhibit's capture
 * (uploader, SHA-256, reference) and each signed statement, once, marked as backfilled.
 */
export async function syncEvidenceContinuity(
  em: EntityManager,
  partnershipId: string,
  caseId: string,
): Promise<number> {
  const exhibits: {
    id: string;
    sha256: string;
    reference: string;
    incident_id: string;
    uploaded_by: string;
    uploaded_by_kind: string;
    created_at: Date;
    captured_at: Date | null;
    clock_offset_seconds: number | null;
    media_type: string;
    size_bytes: string;
  }[] = await em.query(
    `SELECT e.id, e.sha256, e.reference, e.incident_id, e.uploaded_by, e.uploaded_by_kind, e.created_at,
            e.captured_at, e.clock_offset_seconds, e.media_type, e.size_bytes
       FROM exhibits e JOIN case_incidents ci ON ci.incident_id = e.incident_id
      WHERE ci.case_id = $1 ORDER BY e.created_at, e.id`,
    [caseId],
  );
  const statements: {
    id: string;
    incident_id: string;
    content_sha256: string;
    version: number;
    recorded_by: string;
    recorded_by_kind: string;
    created_at: Date;
    signed_at: Date;
  }[] = await em.query(
    `SELECT s.id, s.incident_id, s.content_sha256, s.version, s.recorded_by, s.recorded_by_kind, s.created_at, s.signed_at
       FROM witness_statements s JOIN case_incidents ci ON ci.incident_id = s.incident_id
      WHERE ci.case_id = $1 ORDER BY s.created_at, s.id`,
    [caseId],
  );
  const steps: ContinuityStep[] = [
    ...exhibits.map((e) => ({
      actorId: e.uploaded_by,
      actorKind: e.uploaded_by_kind,
      action: 'exhibit_captured',
      objectType: 'exhibit',
      objectId: e.id,
      sha256: e.sha256,
      details: {
        ...backfilled(e.created_at),
        reference: e.reference,
        incident_id: e.incident_id,
        format: e.media_type,
        size_bytes: Number(e.size_bytes),
        captured_at: e.captured_at ? e.captured_at.toISOString() : null,
        clock_offset_seconds: e.clock_offset_seconds,
        note: 'master stored write-once, content-addressed; hash recomputed on receipt',
      },
    })),
    ...statements.map((s) => ({
      actorId: s.recorded_by,
      actorKind: s.recorded_by_kind,
      action: 'statement_signed',
      objectType: 'witness_statement',
      objectId: s.id,
      sha256: s.content_sha256,
      details: {
        ...backfilled(s.created_at),
        incident_id: s.incident_id,
        version: s.version,
        signed_at: s.signed_at.toISOString(),
      },
    })),
  ].sort((a, b) => String(a.details.recorded_at).localeCompare(String(b.details.recorded_at)));
  return appendContinuity(em, partnershipId, caseId, steps, { once: true });
}
