/**
 * Cell suppression of one table of counts (statistical disclosure control), pure and synchronous.
 *
 * A relation says `parent = sum(children) + residual`. The residual is never published: it is the
 * parent's reports in none of the children (an incident may carry several types, so it can also be
 * minus their overlap). An intruder who sees the parent and some children can difference them, so:
 *
 * - primary: a figure between 1 and k-1 is withheld;
 * - complementary (secondary), repeated until nothing changes, for every relation:
 *   - parent published: no difference of the parent and any set of published children may be
 *     between 1 and k-1 in size (this covers `thefts - theft_shop`, and the complement within the
 *     atom, `incidents - x`), and a withheld child must not be the relation's only unknown (else
 *     the complement chosen to protect a cell elsewhere is itself recovered);
 *   - parent withheld: when the children sum to it exactly, one of them must be withheld too.
 *   The cell withheld to mend a relation is its smallest non-zero published child (the least
 *   information lost, and a zero protects nothing); the parent when no child is left.
 */
export interface Relation {
  parent: string;
  children: readonly string[];
}

export interface SuppressOptions {
  /** false runs primary suppression alone (the negative control of the property tests) */
  secondary?: boolean;
}

const small = (v: number, k: number) => Math.abs(v) >= 1 && Math.abs(v) < k;

/** Subsets of `xs` (relations have at most a handful of children). */
function subsets<T>(xs: readonly T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]);
}

/** The figures of `values` to withhold so that no published figure or difference reveals a cell of 1..k-1. */
export function suppressTable(
  values: Readonly<Record<string, number>>,
  relations: readonly Relation[],
  k: number,
  options: SuppressOptions = {},
): Set<string> {
  const v = (c: string) => values[c] ?? 0;
  const hidden = new Set(Object.keys(values).filter((c) => small(v(c), k)));
  if (options.secondary === false) {
    return hidden;
  }
  const smallestPublished = (cells: readonly string[]) =>
    cells.filter((c) => !hidden.has(c) && v(c) !== 0).sort((a, b) => v(a) - v(b) || a.localeCompare(b))[0];

  /** The cell to withhold so that `r` is mended, or null when it already is. */
  function mend(r: Relation): string | null {
    const published = r.children.filter((c) => !hidden.has(c));
    const unknown = r.children.filter((c) => hidden.has(c) && v(c) !== 0);
    const residual = v(r.parent) - r.children.reduce((a, c) => a + v(c), 0);
    if (hidden.has(r.parent)) {
      // the children sum to the parent exactly: one non-zero child must stay unknown
      return residual === 0 && unknown.length === 0 && v(r.parent) !== 0
        ? (smallestPublished(r.children) ?? null)
        : null;
    }
    for (const s of subsets(published)) {
      if (small(v(r.parent) - s.reduce((a, c) => a + v(c), 0), k)) {
        return smallestPublished(s) ?? r.parent;
      }
    }
    if (unknown.length === 1 && residual === 0) {
      return smallestPublished(r.children) ?? r.parent;
    }
    return null;
  }

  for (let changed = true; changed; ) {
    changed = false;
    for (const r of relations) {
      const cell = mend(r);
      if (cell !== null && !hidden.has(cell)) {
        hidden.add(cell);
        changed = true;
      }
    }
  }
  return hidden;
}
