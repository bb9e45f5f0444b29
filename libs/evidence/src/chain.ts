import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** prev_hash of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** One continuity event of a case, as it is hashed (snake_case, as written to continuity.jsonl). */
export interface ContinuityEntry {
  seq: number;
  case_id: string;
  /** ISO 8601 UTC with milliseconds */
  at: string;
  actor_id: string;
  actor_kind: string;
  /** e.g. exhibit_captured, statement_signed, case_opened, pack_built, pack_disclosed */
  action: string;
  object_type: string;
  object_id: string | null;
  /** the SHA-256 of the object the step concerns, when it has one */
  sha256: string | null;
  details: Record<string, string | number | boolean | null>;
}

export interface ChainedEntry extends ContinuityEntry {
  prev_hash: string;
  hash: string;
}

/** h_i = SHA-256( canonical_json(entry_i) ‖ h_(i-1) ), both as UTF-8 text (the hash as 64 hex). */
export function chainHash(entry: ContinuityEntry, prevHash: string): string {
  return createHash('sha256').update(canonicalJson(entry), 'utf8').update(prevHash, 'utf8').digest('hex');
}

/** One continuity.jsonl line (without the LF). */
export function continuityLine(entry: ChainedEntry): string {
  return canonicalJson(entry);
}

/** Checks a chain in memory; returns the 1-based index of the first bad entry, or null. */
export function firstBrokenLink(entries: ChainedEntry[]): number | null {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const { prev_hash, hash, ...entry } = entries[i];
    if (entry.seq !== i + 1 || prev_hash !== prev || chainHash(entry, prev) !== hash) {
      return i + 1;
    }
    prev = hash;
  }
  return null;
}
