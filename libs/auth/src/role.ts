export enum Role {
  Shopworker = 'shopworker',
  StoreManager = 'store_manager',
  Coordinator = 'coordinator',
  Police = 'police',
  Analyst = 'analyst',
  Admin = 'admin',
}

export const ALL_ROLES = Object.values(Role);

const roles = (...list: Role[]): readonly Role[] => list;

/**
 * The role lists routes and rules are written against: the only place they are spelled. Who may
 * manage which users is the grant matrix (grants.ts).
 */
export const ROLES = {
  /** members who belong to one store and see only its data */
  shopStaff: roles(Role.Shopworker, Role.StoreManager),
  /** run the partnership: users, stores, talk groups, offender intelligence, settings */
  managers: roles(Role.Coordinator, Role.Admin),
  /** hear every alert of the partnership, see presence, read serial flags */
  partnershipStaff: roles(Role.Coordinator, Role.Admin, Role.Police),
  /** file reports and see what became of them (case updates, evidence requests) */
  reporters: roles(Role.Shopworker, Role.StoreManager, Role.Coordinator),
  /** read reports and add evidence and statements to them */
  reportHandlers: roles(Role.Shopworker, Role.StoreManager, Role.Coordinator, Role.Police),
  /** raise radio alerts */
  alertRaisers: roles(Role.Shopworker, Role.StoreManager, Role.Coordinator, Role.Admin),
  /** every role that works in the partnership (not analysts): hear alerts, see galleries */
  members: roles(Role.Shopworker, Role.StoreManager, Role.Coordinator, Role.Police, Role.Admin),
  /** issue exclusions, propose gallery listings, manage store staff */
  storeManagers: roles(Role.StoreManager, Role.Coordinator, Role.Admin),
  /** cases, triage and evidence packs */
  police: roles(Role.Police),
  /** aggregate statistics only */
  statsReaders: roles(Role.Coordinator, Role.Admin, Role.Analyst),
};

/** Roles whose members belong to one store and see only its data. */
export const SHOP_ROLES: readonly Role[] = ROLES.shopStaff;

export function isShopRole(role: Role): boolean {
  return SHOP_ROLES.includes(role);
}
