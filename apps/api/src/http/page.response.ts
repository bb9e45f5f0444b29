import type { Page } from '@app/database';

export interface PageResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export function pageOf<E, R>(page: Page<E>, map: (e: E) => R): PageResponse<R> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
