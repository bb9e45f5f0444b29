import { ALL_ROLES, Role, ROLES } from './role';

/** What one account may do to another. `change` is a change of role or store. */
export type GrantAction = 'create' | 'change' | 'disable';

export const GRANT_ACTIONS: readonly GrantAction[] = ['create', 'change', 'disable'];

const EVERYONE: readonly Role[] = ALL_ROLES;

/**
 * The grant matrix: for each acting role, the roles it may create, change and disable, always
 * within its own partnership. Kept as data so DEVELOPMENT.md and the routes read the same table.
 * Nobody may change or disable their own account, so an admin always leaves at least one admin
 * (itself) behind.
 */
export const GRANTS: Readonly<Record<Role, Readonly<Record<GrantAction, readonly Role[]>>>> = {
  [Role.Admin]: { create: EVERYONE, change: EVERYONE, disable: EVERYONE },
  [Role.Coordinator]: { create: ROLES.shopStaff, change: ROLES.shopStaff, disable: ROLES.shopStaff },
  [Role.StoreManager]: { create: [], change: [], disable: [] },
  [Role.Shopworker]: { create: [], change: [], disable: [] },
  [Role.Police]: { create: [], change: [], disable: [] },
  [Role.Analyst]: { create: [], change: [], disable: [] },
};

/** Whether `actor` may perform `action` on an account holding (or to hold) `target`. */
export function mayGrant(actor: Role, action: GrantAction, target: Role): boolean {
  return GRANTS[actor]?.[action]?.includes(target) ?? false;
}

/** Roles that may perform `action` on anyone at all: the route-level guard. */
export function rolesThatMay(action: GrantAction): Role[] {
  return ALL_ROLES.filter((r) => GRANTS[r][action].length > 0);
}

/**
 * Whether `actor` may change an account from role `from` to role `to`: it must be allowed to
 * change both, so nobody can promote past their own grants or touch an account above them.
 */
export function mayChangeRole(actor: Role, from: Role, to: Role): boolean {
  return mayGrant(actor, 'change', from) && mayGrant(actor, 'change', to);
}
