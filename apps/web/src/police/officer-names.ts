// Other officers by name, for "assigned to …" (an officer no longer active keeps the short id).
import type { Officer, Page } from '../api/types';
import { shortId, useLoad } from '../ui/data';

/** Loads the partnership's officers when `needed`; returns id → name. */
export function useOfficerNames(needed: boolean): (id: string) => string {
  const officers = useLoad<Page<Officer>>(needed ? '/officers?limit=200' : null);
  return (id) => officers.data?.items.find((o) => o.id === id)?.displayName ?? `officer ${shortId(id)}`;
}
