// Free-text search on the lists (`?q=`). The documents are IMMUTABLE SQL functions with GIN indexes
// (the AddSearchIndexes migration); a repository matches one with `@@ to_tsquery(SEARCH_CONFIG, …)`
// and ranks with ts_rank, plus trigram word similarity where names may be misspelt.

/** The text-search configuration of every tsquery (stems "knives" to "knive", as the documents do). */
export const SEARCH_CONFIG = 'english';

/** At most this many words of `q` count: a longer query is a paste, not a search. */
export const MAX_SEARCH_WORDS = 8;

/**
 * How alike a misspelt name must be to a name or alias (pg_trgm word similarity, 0..1) to match:
 * "dazzer" finds "Dazza" (0.57), "smyth" does not find "Smith" (0.33).
 */
export const NAME_SIMILARITY = 0.5;

/** A search as the repositories take it: the typed text and its prefix tsquery. */
export interface TextSearch {
  /** lower case, trimmed: what trigram similarity compares */
  text: string;
  /** every word required, each as a prefix: `knife:* & gregg:*` */
  tsquery: string;
}

/**
 * `q` as a search, or null when it has no letters or digits. Only letters and digits reach
 * to_tsquery, so its syntax (`&`, `|`, `!`, quotes) cannot be injected or break the query.
 */
export function textSearch(q: string | undefined | null): TextSearch | null {
  const text = (q ?? '').normalize('NFKC').trim().toLowerCase();
  const words = (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS);
  return words.length ? { text, tsquery: words.map((w) => `${w}:*`).join(' & ') } : null;
}
