import type { EntityManager } from 'typeorm';
import { type TenantScope, ROLES } from '@app/auth';
import type { Gallery } from './entities/gallery.entity';
import { Subject } from './entities/subject.entity';

export const normaliseRegistration = (r: string) => r.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * SQL condition: subject `alias` is visible to the scope at $now (params appended). A member other
 * than a coordinator or admin sees a subject only while it is listed in a current gallery whose
 * audience includes their role, and tablets never do (no gallery where customers can see it).
 */
export function visibleSql(scope: TenantScope, alias: string, params: unknown[], now: Date): string {
  if (scope.actorKind === 'user' && ROLES.managers.includes(scope.role)) {
    return 'true';
  }
  if (scope.actorKind === 'device') {
    return 'false';
  }
  params.push(now, scope.role);
  const n = params.length;
  return `EXISTS (SELECT 1 FROM gallery_listings l JOIN galleries g ON g.id = l.gallery_id
                     WHERE l.subject_id = ${alias}.id AND l.state = 'listed' AND l.expires_at > $${n - 1}
                       AND $${n}::text = ANY(g.audience_roles))`;
}

/** Whether the gallery is shown to the scope: always to managers, never to tablets, else by role. */
export function galleryShownTo(scope: TenantScope, gallery: Gallery): boolean {
  if (scope.actorKind === 'user' && ROLES.managers.includes(scope.role)) {
    return true;
  }
  return scope.actorKind !== 'device' && gallery.audienceRoles.includes(scope.role);
}

/** The subject if the scope may see it at `now`; otherwise null. */
export async function findVisible(
  em: EntityManager,
  scope: TenantScope,
  id: string,
  now: Date,
): Promise<Subject | null> {
  const params: unknown[] = [id, scope.partnershipId];
  const cond = visibleSql(scope, 's', params, now);
  const rows: { id: string }[] = await em.query(
    `SELECT s.id FROM subjects s WHERE s.id = $1 AND s.partnership_id = $2 AND ${cond}`,
    params,
  );
  // same answer whether absent, foreign or not visible: no oracle on who is on file
  return rows.length ? em.findOneByOrFail(Subject, { id }) : null;
}

/** The partnership's subject (for intelligence work, regardless of galleries), optionally locked. */
export function intelSubject(
  em: EntityManager,
  scope: TenantScope,
  id: string,
  lock = false,
): Promise<Subject | null> {
  return em.findOne(Subject, {
    where: { id, partnershipId: scope.partnershipId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}
