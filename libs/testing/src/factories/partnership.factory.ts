import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Role } from '@app/auth';
import { Jurisdiction, MemberBusiness, Partnership, Store } from '@app/partnerships';
import { User } from '@app/identity';

export interface PartnershipFixture {
  partnershipId: string;
  businessId: string;
  /** two stores; shop roles belong to the first */
  storeIds: [string, string];
  users: Record<Role, { id: string; email: string; password: string }>;
}

export interface PartnershipSpec {
  name?: string;
  slug?: string;
  policeForceArea?: string;
  jurisdiction?: Jurisdiction;
  region?: string;
  stores?: [Partial<Store>, Partial<Store>];
  /** e.g. `demo.hub` gives `coordinator@demo.hub` */
  emailDomain?: string;
  password?: string;
  canary?: string;
}

export function buildPartnership(spec: PartnershipSpec = {}): Partial<Partnership> {
  const tag = randomBytes(4).toString('hex');
  return {
    name: spec.name ?? `Test BCRP ${tag}${spec.canary ? ` ${spec.canary}` : ''}`,
    slug: spec.slug ?? `test-${tag}`,
    policeForceArea: spec.policeForceArea ?? 'Test Constabulary',
    jurisdiction: spec.jurisdiction ?? Jurisdiction.EnglandWales,
    region: spec.region ?? 'South East',
  };
}

/**
 * Persists a partnership with a member business, two stores and one user per role. Takes a
 * manager on the owner's connection (fixtures sit below row-level security) and a password hasher.
 */
export async function createPartnership(
  em: EntityManager,
  hash: (password: string) => Promise<string>,
  spec: PartnershipSpec = {},
): Promise<PartnershipFixture> {
  const partnership = buildPartnership(spec);
  const { identifiers } = await em.insert(Partnership, partnership);
  const partnershipId = identifiers[0].id as string;
  const business = await em.insert(MemberBusiness, {
    partnershipId,
    name: `Corner Shops Ltd${spec.canary ? ` ${spec.canary}` : ''}`,
  });
  const businessId = business.identifiers[0].id as string;
  const storeDefaults = [
    {
      name: 'High Street Express',
      site: '1 High Street',
      postcode: 'AB1 2CD',
      latitude: 51.5072,
      longitude: -0.1276,
    },
    {
      name: 'Market Square Mini',
      site: '5 Market Square',
      postcode: 'AB1 3EF',
      latitude: 51.5081,
      longitude: -0.1262,
    },
  ];
  const storeIds: string[] = [];
  for (const [i, d] of storeDefaults.entries()) {
    const s = await em.insert(Store, { partnershipId, businessId, ...d, ...(spec.stores?.[i] ?? {}) });
    storeIds.push(s.identifiers[0].id as string);
  }
  const domain = spec.emailDomain ?? `${partnership.slug}.test`;
  const password = spec.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const passwordHash = await hash(password);
  const users = {} as PartnershipFixture['users'];
  for (const role of Object.values(Role)) {
    const email = `${role.replace('_', '-')}@${domain}`;
    const storeId = role === Role.Shopworker || role === Role.StoreManager ? storeIds[0] : null;
    const u = await em.insert(User, {
      partnershipId,
      storeId,
      email,
      displayName: `${role} ${spec.canary ?? ''}`.trim(),
      role,
      passwordHash,
    });
    users[role] = { id: u.identifiers[0].id as string, email, password };
  }
  return { partnershipId, businessId, storeIds: storeIds as [string, string], users };
}
