export enum Role {
  Shopworker = 'shopworker',
  StoreManager = 'store_manager',
  Coordinator = 'coordinator',
  Police = 'police',
  Analyst = 'analyst',
  Admin = 'admin',
}

export const ALL_ROLES = Object.values(Role);

/** Roles whose members belong to one store and see only its data. */
export const SHOP_ROLES: readonly Role[] = [Role.Shopworker, Role.StoreManager];

export function isShopRole(role: Role): boolean {
  return SHOP_ROLES.includes(role);
}
