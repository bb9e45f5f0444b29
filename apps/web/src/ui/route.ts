// The address is the hash (#/console/subjects/<id>): the api serves static files only, and a hash
// survives reloads on a tablet. Each object has its own address, so a link opens it and the back
// button returns to the list.
import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../api/types';

/** The hash as path parts: `#/police/cases/abc` is ['police', 'cases', 'abc']. */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

/** The id in `#/<screen>/<kind>/<id>`, or null when the address names no such object. */
export function useRouteId(screen: string, kind: string): string | null {
  const [s, k, id] = useRoute();
  return s === screen && k === kind && id ? id : null;
}

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;

/** A new history entry, so the back button returns to where the user was. */
export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

/** What a detail view opened by its address is given: the id, the stores, and whom to tell of a change. */
export interface OpenedObject {
  id: string;
  stores: Map<string, Store>;
  onChanged: () => void;
}
