import { readFileSync } from 'node:fs';
import type { HistoryEntry } from './programme';

/** Reads a JSONL history back from disk (the checker's only view of what clients saw). */
export function readHistory(file: string): HistoryEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as HistoryEntry);
}

/** A copy of a history file's entries with a deliberate defect, for negative controls. */
export function mutated(
  entries: HistoryEntry[],
  change: (e: HistoryEntry[]) => HistoryEntry[],
): HistoryEntry[] {
  return change(entries.map((e) => ({ ...e, value: e.value ? { ...e.value } : undefined })));
}
