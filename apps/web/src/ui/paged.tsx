// Lists that grow: the api's pages appended one "Load more" at a time (its nextCursor), a search box
// for the lists the api searches (?q=), and the query string of their filters.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../api/client';

interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

/** `path?name=value&…`, leaving out what is empty, so a cleared filter is not sent as `name=`. */
export function listPath(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && String(v).trim() !== '') {
      q.set(k, String(v).trim());
    }
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export interface PagedList<T> {
  /** every row loaded so far, null until the first page is here */
  data: { items: T[] } | null;
  error: string | null;
  /** the api's refusal per query parameter (a bad search, a bad date), by name */
  problems: Record<string, string>;
  /** loads the next page, appended; null on the last page */
  more: (() => void) | null;
  busy: boolean;
  /** back to the first page (after a change) */
  reload: () => void;
}

/**
 * A cursor-paged list at `path` (with its filters in the query string): the first page, and each
 * next page appended by `more()`. A new path starts again from its first page.
 */
export function usePaged<T>(path: string | null): PagedList<T> {
  const [tick, setTick] = useState(0);
  // what is loaded and which page is asked for belong to one path and reload: a new one starts afresh
  const key = `${tick}:${path ?? ''}`;
  const [loaded, setLoaded] = useState<{ key: string; items: T[]; next: string | null } | null>(null);
  const [asked, setAsked] = useState<{ key: string; cursor: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const cursor = asked?.key === key ? asked.cursor : null;

  useEffect(() => {
    if (!path) {
      return;
    }
    let live = true;
    setBusy(true);
    const url = cursor
      ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`
      : path;
    api.get<PageBody<T>>(url).then(
      (page) => {
        if (live) {
          setLoaded((prev) => ({
            key,
            items: cursor && prev?.key === key ? [...prev.items, ...page.items] : page.items,
            next: page.nextCursor,
          }));
          setError(null);
          setProblems({});
          setBusy(false);
        }
      },
      (err: unknown) => {
        if (live) {
          setError(describeError(err));
          setProblems(err instanceof ApiError ? err.fieldProblems() : {});
          setBusy(false);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [key, cursor]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = loaded?.key === key ? loaded : null;
  const next = current?.next;
  return {
    data: current ? { items: current.items } : null,
    error,
    problems,
    busy,
    more: next && !busy ? () => setAsked({ key, cursor: next }) : null,
    reload,
  };
}

/**
 * "Load more" under a paged list, and how many rows are shown (announced as it grows); `what`
 * names a row and rows: ['report', 'reports'].
 */
export function LoadMore({ list, what: [one, many] }: { list: PagedList<unknown>; what: [string, string] }) {
  const shown = list.data?.items.length ?? 0;
  if (!shown) {
    return null;
  }
  return (
    <div class="load-more">
      <p class="meta" role="status">
        Showing {shown} {shown === 1 ? one : many}
        {list.more ? '' : shown > 1 ? ', all there are' : ''}
      </p>
      {(list.more || list.busy) && (
        <button
          type="button"
          class="secondary"
          disabled={!list.more}
          onClick={() => list.more?.()}
          data-testid="load-more"
        >
          {list.busy ? 'Loading…' : `Load more ${many}`}
        </button>
      )}
    </div>
  );
}

/**
 * A search box (a form, so Enter searches); `onSearch` gets the trimmed words, '' to clear. The
 * api's refusal of the words is shown under the box.
 */
export function SearchBox({
  id,
  label,
  hint,
  value,
  onSearch,
  error,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onSearch: (q: string) => void;
  error?: string | null;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <form
      role="search"
      class="search-box"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div class="search-row">
        <input
          id={id}
          type="search"
          value={text}
          maxLength={100}
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="primary">
          Search
        </button>
        {value && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setText('');
              onSearch('');
            }}
          >
            Clear
          </button>
        )}
      </div>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </form>
  );
}
