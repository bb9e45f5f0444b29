import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { appendAudit } from './audit';
import { AccessAction } from './entities/access-log-entry.entity';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** pass back as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

/**
 * Keyset pagination on (created_at DESC, id DESC), stable while rows are added; given `rank` (SQL of
 * a score, higher first: a search's relevance), on (rank DESC, created_at DESC, id DESC). The cursor
 * carries created_at to the microsecond, so rows written in the same millisecond are neither skipped
 * nor repeated.
 */
export async function paginate<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<T>,
  page: PageRequest,
  rank?: string,
): Promise<Page<T>> {
  const alias = qb.alias;
  const score = rank ? `(${rank})::float8` : null;
  const key = [...(score ? [score] : []), `${alias}.created_at`, `${alias}.id`];
  if (page.cursor) {
    const c = decodeCursor(page.cursor, !!score);
    const at = ['CAST(:cursorAt AS timestamptz)', 'CAST(:cursorId AS uuid)'];
    qb.andWhere(`(${key.join(', ')}) < (${[...(score ? ['CAST(:cursorRank AS float8)'] : []), ...at].join(', ')})`, {
      cursorRank: c.rank,
      cursorAt: c.at,
      cursorId: c.id,
    });
  }
  qb.addSelect(`to_char(${alias}.created_at AT TIME ZONE 'UTC', '${MICROSECOND_ISO}')`, 'page_at');
  if (score) {
    qb.addSelect(score, 'page_rank');
  }
  key.forEach((k, i) => (i ? qb.addOrderBy(k, 'DESC') : qb.orderBy(k, 'DESC')));
  const { entities, raw } = await qb.take(page.limit + 1).getRawAndEntities<Record<string, unknown>>();
  const items = entities.slice(0, page.limit);
  const last = items.length ? raw.find((r) => r[`${alias}_id`] === items[items.length - 1].id) : undefined;
  return {
    items,
    nextCursor:
      entities.length > page.limit && last
        ? encodeCursor({ rank: score ? Number(last.page_rank) : null, at: String(last.page_at), id: String(last[`${alias}_id`]) })
        : null,
  };
}

/** `paginate`, logging each row returned as consulted (as `objectType` `objectId(row)`) in `em`'s transaction. */
export async function paginateConsulted<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  em: EntityManager,
  scope: TenantScope,
  qb: SelectQueryBuilder<T>,
  page: PageRequest,
  objectType: string,
  objectId: (row: T) => string = (row) => row.id,
  search?: { rank: string },
): Promise<Page<T>> {
  const result = await paginate(qb, page, search?.rank);
  await appendAudit(
    em,
    scope,
    result.items.map((row) => ({
      action: AccessAction.Consult,
      objectType,
      objectId: objectId(row),
      // found by a search: the log says so (never what was searched for, which may be a name)
      ...(search ? { justification: 'search' } : {}),
    })),
  );
  return result;
}

const MICROSECOND_ISO = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

interface Cursor {
  rank: number | null;
  at: string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from([...(c.rank === null ? [] : [String(c.rank)]), c.at, c.id].join('|')).toString('base64url');
}

/** A cursor of the same kind of list (ranked or not), or a 400 naming `cursor`. */
function decodeCursor(cursor: string, ranked: boolean): Cursor {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [rank, at, id] = ranked ? parts : [null, ...parts];
  const ok =
    parts.length === (ranked ? 3 : 2) &&
    (rank === null || Number.isFinite(Number(rank))) &&
    !!at &&
    !Number.isNaN(Date.parse(at)) &&
    /^[0-9a-f-]{36}$/.test(id ?? '');
  if (!ok) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return { rank: rank === null ? null : Number(rank), at: at!, id: id! };
}
