import { Brackets, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
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

/** Keyset pagination on (created_at DESC, id DESC): stable while rows are added. */
export async function paginate<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<T>,
  page: PageRequest,
): Promise<Page<T>> {
  const alias = qb.alias;
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor);
    qb.andWhere(
      new Brackets((w) =>
        w
          .where(`${alias}.created_at < :cursorAt`, { cursorAt: at })
          .orWhere(`${alias}.created_at = :cursorAt AND ${alias}.id < :cursorId`, {
            cursorAt: at,
            cursorId: id,
          }),
      ),
    );
  }
  const rows = await qb
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(page.limit + 1)
    .getMany();
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor(last.createdAt, last.id) : null,
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
): Promise<Page<T>> {
  const result = await paginate(qb, page);
  await appendAudit(
    em,
    scope,
    result.items.map((row) => ({ action: AccessAction.Consult, objectType, objectId: objectId(row) })),
  );
  return result;
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return [at, id];
}
