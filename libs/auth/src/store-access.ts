import { DomainError } from '@app/errors';
import type { TenantScope } from './actor';
import { isShopRole } from './role';

/** Shop roles and tablets act only on their own store; others on any store of the partnership. */
export function assertStoreAccess(scope: TenantScope, storeId: string): void {
  if ((isShopRole(scope.role) || scope.actorKind === 'device') && scope.storeId !== storeId) {
    throw DomainError.forbidden('That belongs to another store');
  }
}

/** The store a list must be limited to, if any. */
export function storeFilterFor(scope: TenantScope): string | null {
  return isShopRole(scope.role) || scope.actorKind === 'device' ? scope.storeId : null;
}
