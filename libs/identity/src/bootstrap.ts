import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Role } from '@app/auth';
import { Jurisdiction, Partnership } from '@app/partnerships';
import { User } from './entities/user.entity';

export interface BootstrapSpec {
  name: string;
  /** short lower-case name, unique (e.g. riverside) */
  slug: string;
  policeForceArea: string;
  jurisdiction: Jurisdiction;
  region: string;
  adminEmail: string;
  adminName: string;
}

/** Why a bootstrap was refused, in words for the person running it. */
export class BootstrapRefused extends Error {}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The spec's problems, one line each (empty when it can be used). */
export function bootstrapProblems(spec: Partial<BootstrapSpec>): string[] {
  const problems: string[] = [];
  for (const key of ['name', 'policeForceArea', 'region', 'adminName'] as const) {
    if (!spec[key]?.trim()) {
      problems.push(`${key} is required`);
    }
  }
  if (!spec.slug || !SLUG.test(spec.slug)) {
    problems.push('slug must be 1-40 lower-case letters, digits or hyphens (e.g. riverside)');
  }
  if (!spec.jurisdiction || !Object.values(Jurisdiction).includes(spec.jurisdiction)) {
    problems.push(`jurisdiction must be one of ${Object.values(Jurisdiction).join(', ')}`);
  }
  if (!spec.adminEmail || !EMAIL.test(spec.adminEmail)) {
    problems.push('adminEmail must be an email address');
  }
  return problems;
}

/**
 * A new partnership and its first admin, without demo data: what a partnership (or the Docker
 * image's first start) runs once. The admin's password is made here and returned once; only its
 * hash is stored. Takes a manager on the owner's connection, in a transaction.
 */
export async function bootstrapPartnership(
  em: EntityManager,
  hash: (password: string) => Promise<string>,
  spec: BootstrapSpec,
): Promise<{ partnershipId: string; adminId: string; adminEmail: string; password: string }> {
  const problems = bootstrapProblems(spec);
  if (problems.length) {
    throw new BootstrapRefused(problems.join('; '));
  }
  const adminEmail = spec.adminEmail.trim().toLowerCase();
  if (await em.existsBy(Partnership, { slug: spec.slug })) {
    throw new BootstrapRefused(`a partnership with slug "${spec.slug}" already exists; nothing was changed`);
  }
  if (await em.existsBy(User, { email: adminEmail })) {
    throw new BootstrapRefused(`a user with email ${adminEmail} already exists; nothing was changed`);
  }
  const { identifiers } = await em.insert(Partnership, {
    name: spec.name.trim(),
    slug: spec.slug,
    policeForceArea: spec.policeForceArea.trim(),
    jurisdiction: spec.jurisdiction,
    region: spec.region.trim(),
  });
  const partnershipId = identifiers[0].id as string;
  const password = randomBytes(18).toString('base64url');
  const admin = await em.insert(User, {
    partnershipId,
    storeId: null,
    email: adminEmail,
    displayName: spec.adminName.trim(),
    role: Role.Admin,
    passwordHash: await hash(password),
  });
  return { partnershipId, adminId: admin.identifiers[0].id as string, adminEmail, password };
}
