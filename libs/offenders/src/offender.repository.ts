import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Role, type TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { JobName } from '@app/queue';
import {
  AccessAction,
  appendAudit,
  appendOutbox,
  type Page,
  type PageRequest,
  paginate,
  TenantDb,
} from '@app/database';
import { EvidenceDerivative, EvidenceMaster, Incident } from '@app/incidents';
import { Gallery, GalleryListing, ListingState } from './entities/gallery.entity';
import { SerialFlag, SerialFlagState } from './entities/serial-flag.entity';
import {
  Subject,
  SubjectAggregate,
  type SubjectDescription,
  SubjectImage,
  SubjectIncident,
  type SubjectKind,
  type SubjectVehicle,
} from './entities/subject.entity';
import { DAY_MS } from './serial-rule';

/** Roles that run offender intelligence and always see subjects. */
export const INTEL_ROLES: readonly Role[] = [Role.Coordinator, Role.Admin];

export interface SubjectFields {
  kind: SubjectKind;
  name: string | null;
  aliases: string[];
  description: SubjectDescription;
  vehicles: SubjectVehicle[];
  juvenile: boolean;
}

export interface SubjectView {
  subject: Subject;
  aggregate: SubjectAggregate | null;
  images: SubjectImage[];
  listings: GalleryListing[];
}

export interface NewSubjectImage {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  derivative: { sha256: string; sizeBytes: number; mediaType: string } | null;
}

export interface Suggestion {
  incidentId: string;
  occurredAt: Date;
  storeId: string;
  reasons: string[];
}

export const normaliseRegistration = (r: string) => r.toUpperCase().replace(/[^A-Z0-9]/g, '');

function notFound(what: string): never {
  throw DomainError.notFound(what);
}

/**
 * Subjects, their images, incident links, galleries and listings. Every read of a subject or image
 * is a consultation in the access log; a member other than a coordinator or admin sees a subject
 * only while it is listed in a current gallery whose audience includes their role, and tablets
 * never do (no gallery where customers can see it).
 */
@Injectable()
export class OffenderRepository {
  constructor(private readonly db: TenantDb) {}

  // --- visibility -------------------------------------------------------------------------------

  /** SQL condition: subject `alias` is visible to the scope at $now (params appended). */
  private visibleSql(scope: TenantScope, alias: string, params: unknown[], now: Date): string {
    if (scope.actorKind === 'user' && INTEL_ROLES.includes(scope.role)) {
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

  private async findVisible(em: EntityManager, scope: TenantScope, id: string, now: Date): Promise<Subject> {
    const params: unknown[] = [id, scope.partnershipId];
    const cond = this.visibleSql(scope, 's', params, now);
    const rows: { id: string }[] = await em.query(
      `SELECT s.id FROM subjects s WHERE s.id = $1 AND s.partnership_id = $2 AND ${cond}`,
      params,
    );
    if (!rows.length) {
      // same answer whether absent, foreign or not visible: no oracle on who is on file
      notFound('Subject');
    }
    return em.findOneByOrFail(Subject, { id });
  }

  private async intelSubject(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    lock = false,
  ): Promise<Subject> {
    return (
      (await em.findOne(Subject, {
        where: { id, partnershipId: scope.partnershipId },
        ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      })) ?? notFound('Subject')
    );
  }

  /** Throws not-found unless the subject is the partnership's (before reading an upload). */
  async assertSubject(scope: TenantScope, id: string): Promise<void> {
    await this.db.run(scope, (em) => this.intelSubject(em, scope, id));
  }

  // --- subjects ---------------------------------------------------------------------------------

  createSubject(scope: TenantScope, fields: SubjectFields): Promise<Subject> {
    return this.db.run(scope, async (em) => {
      const reference = `S-${Math.floor(Math.random() * 0xffffff)
        .toString(16)
        .toUpperCase()
        .padStart(6, '0')}`;
      const { identifiers } = await em.insert(Subject, {
        ...fields,
        vehicleRegistrations: fields.vehicles.map((v) => v.registration),
        partnershipId: scope.partnershipId,
        reference,
        createdBy: scope.actorId,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, { action: AccessAction.Collect, objectType: 'subject', objectId: id });
      return em.findOneByOrFail(Subject, { id });
    });
  }

  updateSubject(scope: TenantScope, id: string, patch: Partial<SubjectFields>): Promise<Subject> {
    return this.db.run(scope, async (em) => {
      const before = await this.intelSubject(em, scope, id, true);
      const name = patch.name !== undefined ? patch.name : before.name;
      const kind = patch.kind ?? before.kind;
      if (kind === 'known' && !name) {
        throw DomainError.invalid('name', 'is required for a known subject');
      }
      await em.update(
        Subject,
        { id },
        {
          ...patch,
          ...(patch.vehicles ? { vehicleRegistrations: patch.vehicles.map((v) => v.registration) } : {}),
        },
      );
      await appendAudit(em, scope, { action: AccessAction.Alter, objectType: 'subject', objectId: id });
      return em.findOneByOrFail(Subject, { id });
    });
  }

  /** A subject with its aggregates, images and listings: a logged consultation. */
  readSubject(scope: TenantScope, id: string, now: Date): Promise<SubjectView> {
    return this.db.run(scope, async (em) => {
      const subject = await this.findVisible(em, scope, id, now);
      await appendAudit(em, scope, { action: AccessAction.Consult, objectType: 'subject', objectId: id });
      return {
        subject,
        aggregate: await em.findOneBy(SubjectAggregate, { subjectId: id }),
        images: await em.find(SubjectImage, { where: { subjectId: id }, order: { createdAt: 'ASC' } }),
        listings: await em.find(GalleryListing, { where: { subjectId: id }, order: { createdAt: 'DESC' } }),
      };
    });
  }

  /** Subjects the caller may see, newest first; each one returned is logged as consulted. */
  listSubjects(scope: TenantScope, now: Date, page: PageRequest): Promise<Page<Subject>> {
    return this.db.run(scope, async (em) => {
      const params: unknown[] = [];
      const cond = this.visibleSql(scope, 's', params, now);
      const named = Object.fromEntries(params.map((p, i) => [`v${i + 1}`, p]));
      const qb = em
        .createQueryBuilder(Subject, 's')
        .where('s.partnership_id = :pid', { pid: scope.partnershipId })
        .andWhere(
          cond.replace(/\$(\d+)/g, (_m, d: string) => `:v${d}`),
          named,
        );
      const result = await paginate(qb, page);
      await appendAudit(
        em,
        scope,
        result.items.map((s) => ({ action: AccessAction.Consult, objectType: 'subject', objectId: s.id })),
      );
      return result;
    });
  }

  // --- images -----------------------------------------------------------------------------------

  /**
   * Records an image stored like evidence (a content-addressed master and its metadata-free copy).
   * `place` writes the files as the last step, so rows never exist without their files.
   */
  addImage(
    scope: TenantScope,
    subjectId: string,
    data: NewSubjectImage,
    place: () => Promise<void>,
  ): Promise<{ image: SubjectImage; created: boolean }> {
    return this.db.run(scope, async (em) => {
      await this.intelSubject(em, scope, subjectId, true);
      const existing = await em.findOneBy(SubjectImage, { subjectId, sha256: data.sha256 });
      if (existing) {
        await place();
        return { image: existing, created: false };
      }
      await em
        .createQueryBuilder()
        .insert()
        .into(EvidenceMaster)
        .values({
          partnershipId: scope.partnershipId,
          sha256: data.sha256,
          sizeBytes: String(data.sizeBytes),
          mediaType: data.mediaType,
        })
        .orIgnore()
        .execute();
      if (data.derivative) {
        await em
          .createQueryBuilder()
          .insert()
          .into(EvidenceDerivative)
          .values({
            partnershipId: scope.partnershipId,
            parentSha256: data.sha256,
            kind: 'metadata_stripped',
            sha256: data.derivative.sha256,
            sizeBytes: String(data.derivative.sizeBytes),
            mediaType: data.derivative.mediaType,
          })
          .orIgnore()
          .execute();
      }
      const { identifiers } = await em.insert(SubjectImage, {
        partnershipId: scope.partnershipId,
        subjectId,
        sha256: data.sha256,
        viewSha256: data.derivative?.sha256 ?? null,
        mediaType: data.mediaType,
        sizeBytes: String(data.sizeBytes),
        uploadedBy: scope.actorId,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, {
        action: AccessAction.Collect,
        objectType: 'subject_image',
        objectId: id,
      });
      await place();
      return { image: await em.findOneByOrFail(SubjectImage, { id }), created: true };
    });
  }

  /** An image's viewing copy, if the caller may see its subject: a logged consultation. */
  viewImage(scope: TenantScope, imageId: string, now: Date): Promise<SubjectImage> {
    return this.db.run(scope, async (em) => {
      const image =
        (await em.findOneBy(SubjectImage, { id: imageId, partnershipId: scope.partnershipId })) ??
        notFound('Image');
      await this.findVisible(em, scope, image.subjectId, now).catch(() => notFound('Image'));
      await appendAudit(em, scope, {
        action: AccessAction.Consult,
        objectType: 'subject_image',
        objectId: image.id,
      });
      return image;
    });
  }

  // --- incident links ---------------------------------------------------------------------------

  /** A coordinator confirms an incident as this subject's: a combination of personal data. */
  link(
    scope: TenantScope,
    subjectId: string,
    incidentId: string,
    note: string | null,
  ): Promise<SubjectIncident> {
    return this.db.run(scope, async (em) => {
      await this.intelSubject(em, scope, subjectId, true);
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      if (!incident) {
        throw DomainError.invalid('incidentId', 'is not an incident of this partnership');
      }
      const existing = await em.findOneBy(SubjectIncident, { subjectId, incidentId });
      if (existing) {
        // the existing link is returned: a consultation (DPA 2018 s.62)
        await appendAudit(em, scope, {
          action: AccessAction.Consult,
          objectType: 'subject',
          objectId: subjectId,
          justification: `incident ${incidentId} was already linked`,
        });
        return existing;
      }
      const { identifiers } = await em.insert(SubjectIncident, {
        partnershipId: scope.partnershipId,
        subjectId,
        incidentId,
        linkedBy: scope.actorId,
        note,
        occurredAt: incident.occurredAt,
        storeId: incident.storeId,
        valuePence: incident.valuePence,
      });
      await appendAudit(em, scope, {
        action: AccessAction.Combine,
        objectType: 'subject',
        objectId: subjectId,
        justification: `linked incident ${incidentId}${note ? `: ${note}` : ''}`,
      });
      await this.enqueueRefresh(em, scope, subjectId);
      return em.findOneByOrFail(SubjectIncident, { id: identifiers[0].id as string });
    });
  }

  unlink(scope: TenantScope, subjectId: string, incidentId: string, reason: string): Promise<void> {
    return this.db.run(scope, async (em) => {
      await this.intelSubject(em, scope, subjectId, true);
      const { affected } = await em.delete(SubjectIncident, { subjectId, incidentId });
      if (!affected) {
        notFound('Link');
      }
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: subjectId,
        justification: `unlinked incident ${incidentId}: ${reason}`,
      });
      await this.enqueueRefresh(em, scope, subjectId);
    });
  }

  links(scope: TenantScope, subjectId: string): Promise<SubjectIncident[]> {
    return this.db.run(scope, async (em) => {
      await this.intelSubject(em, scope, subjectId);
      await appendAudit(em, scope, {
        action: AccessAction.Consult,
        objectType: 'subject',
        objectId: subjectId,
      });
      return em.find(SubjectIncident, { where: { subjectId }, order: { occurredAt: 'ASC' } });
    });
  }

  private async enqueueRefresh(em: EntityManager, scope: TenantScope, subjectId: string): Promise<void> {
    await appendOutbox(em, scope, {
      kind: 'job',
      job: JobName.RefreshSubject,
      data: { partnershipId: scope.partnershipId, subjectId, requestId: scope.requestId },
    });
  }

  /** Re-checks every subject of the partnership (after a settings change), through the outbox. */
  async enqueueAll(em: EntityManager, scope: TenantScope): Promise<void> {
    await em.query(
      `INSERT INTO outbox (partnership_id, kind, name, rooms, payload)
       SELECT partnership_id, 'job', $2, '{}',
              jsonb_build_object('partnershipId', partnership_id, 'subjectId', id, 'requestId', $3::text)
         FROM subjects WHERE partnership_id = $1`,
      [scope.partnershipId, JobName.RefreshSubject, scope.requestId],
    );
  }

  /**
   * Possible links, never made by themselves: the reporter named this subject; a vehicle
   * registration; two or more description terms; within two hours at a store where a linked
   * incident happened; or this subject was on the radio at that store within two hours.
   */
  suggestions(scope: TenantScope, subjectId: string, now: Date): Promise<Suggestion[]> {
    return this.db.run(scope, async (em) => {
      const subject = await this.intelSubject(em, scope, subjectId);
      const d = subject.description;
      const terms = [
        ...new Set(
          [d.height, d.build, d.hair, d.usualClothing, d.distinguishingMarks, ...subject.aliases]
            .filter((t): t is string => !!t)
            .flatMap((t) => t.toLowerCase().split(/[^a-z0-9]+/))
            .filter((w) => w.length >= 4),
        ),
      ];
      const since = new Date(now.getTime() - 365 * DAY_MS);
      const rows: { id: string; occurred_at: Date; store_id: string; reasons: string[] }[] = await em.query(
        `WITH cand AS (
           SELECT i.id, i.occurred_at, i.store_id, i.offender_id, lower(i.offenders::text) AS descr,
                  ARRAY(SELECT upper(regexp_replace(o->>'vehicleRegistration', '[^A-Za-z0-9]', '', 'g'))
                          FROM jsonb_array_elements(i.offenders) o WHERE o->>'vehicleRegistration' IS NOT NULL) AS regs
             FROM incidents i
            WHERE i.partnership_id = $1 AND i.status <> 'draft' AND i.occurred_at >= $3
              AND NOT EXISTS (SELECT 1 FROM subject_incidents si WHERE si.subject_id = $2 AND si.incident_id = i.id)
         )
         SELECT c.id, c.occurred_at, c.store_id, array_remove(ARRAY[
                  CASE WHEN c.offender_id = $2 THEN 'named by the reporter' END,
                  CASE WHEN c.regs && $4::text[] THEN 'vehicle registration' END,
                  CASE WHEN (SELECT count(*) FROM unnest($5::text[]) t WHERE c.descr LIKE '%' || t || '%') >= 2
                       THEN 'description terms' END,
                  CASE WHEN EXISTS (SELECT 1 FROM subject_incidents si
                                     WHERE si.subject_id = $2 AND si.store_id = c.store_id
                                       AND si.occurred_at BETWEEN c.occurred_at - interval '2 hours'
                                                              AND c.occurred_at + interval '2 hours')
                       THEN 'time and place' END,
                  CASE WHEN EXISTS (SELECT 1 FROM alerts a
                                     WHERE a.partnership_id = $1 AND a.offender_profile_id = $2
                                       AND (a.sender_store_id = c.store_id OR a.store_id = c.store_id
                                            OR c.store_id = ANY(a.recipient_store_ids))
                                       AND a.created_at BETWEEN c.occurred_at - interval '2 hours'
                                                            AND c.occurred_at + interval '2 hours')
                       THEN 'seen on the radio' END], NULL) AS reasons
           FROM cand c`,
        [scope.partnershipId, subjectId, since, subject.vehicleRegistrations, terms],
      );
      await appendAudit(em, scope, {
        action: AccessAction.Combine,
        objectType: 'subject',
        objectId: subjectId,
        justification: 'suggested incident links',
      });
      return rows
        .filter((r) => r.reasons.length > 0)
        .sort(
          (a, b) => b.reasons.length - a.reasons.length || b.occurred_at.getTime() - a.occurred_at.getTime(),
        )
        .slice(0, 50)
        .map((r) => ({
          incidentId: r.id,
          occurredAt: r.occurred_at,
          storeId: r.store_id,
          reasons: r.reasons,
        }));
    });
  }

  // --- galleries and listings -------------------------------------------------------------------

  createGallery(
    scope: TenantScope,
    fields: { name: string; purpose: string | null; defaultListingDays: number; audienceRoles: Role[] },
  ): Promise<Gallery> {
    return this.db.run(scope, async (em) => {
      if (await em.existsBy(Gallery, { partnershipId: scope.partnershipId, name: fields.name })) {
        throw new DomainError(ErrorCode.Conflict, 'A gallery of that name exists');
      }
      const { identifiers } = await em.insert(Gallery, {
        ...fields,
        partnershipId: scope.partnershipId,
        createdBy: scope.actorId,
      });
      return em.findOneByOrFail(Gallery, { id: identifiers[0].id as string });
    });
  }

  galleries(scope: TenantScope): Promise<Gallery[]> {
    return this.db.run(scope, async (em) => {
      const all = await em.find(Gallery, {
        where: { partnershipId: scope.partnershipId },
        order: { name: 'ASC' },
      });
      if (INTEL_ROLES.includes(scope.role) && scope.actorKind === 'user') {
        return all;
      }
      return scope.actorKind === 'device' ? [] : all.filter((g) => g.audienceRoles.includes(scope.role));
    });
  }

  /** The subjects currently listed in a gallery: a gallery view, each subject logged as consulted. */
  gallerySubjects(
    scope: TenantScope,
    galleryId: string,
    now: Date,
  ): Promise<{ subject: Subject; listing: GalleryListing; images: SubjectImage[] }[]> {
    return this.db.run(scope, async (em) => {
      const gallery =
        (await em.findOneBy(Gallery, { id: galleryId, partnershipId: scope.partnershipId })) ??
        notFound('Gallery');
      const intel = INTEL_ROLES.includes(scope.role) && scope.actorKind === 'user';
      if (!intel && (scope.actorKind === 'device' || !gallery.audienceRoles.includes(scope.role))) {
        throw DomainError.forbidden('This gallery is not shown to your role');
      }
      const listings = await em
        .createQueryBuilder(GalleryListing, 'l')
        .where('l.gallery_id = :galleryId AND l.state = :state AND l.expires_at > :now', {
          galleryId,
          state: ListingState.Listed,
          now,
        })
        .orderBy('l.listed_at', 'DESC')
        .getMany();
      const out = [];
      for (const listing of listings) {
        out.push({
          listing,
          subject: await em.findOneByOrFail(Subject, { id: listing.subjectId }),
          images: await em.find(SubjectImage, { where: { subjectId: listing.subjectId } }),
        });
      }
      await appendAudit(
        em,
        scope,
        out.map((o) => ({
          action: AccessAction.Consult,
          objectType: 'subject',
          objectId: o.subject.id,
          justification: `gallery view: ${gallery.name}`,
        })),
      );
      return out;
    });
  }

  /** Proposes a listing, with a reason resting on incidents linked to the subject; awaits review. */
  propose(
    scope: TenantScope,
    galleryId: string,
    subjectId: string,
    reason: string,
    incidentIds: string[],
  ): Promise<GalleryListing> {
    return this.db.run(scope, async (em) => {
      (await em.findOneBy(Gallery, { id: galleryId, partnershipId: scope.partnershipId })) ??
        notFound('Gallery');
      const subject = await em.findOneBy(Subject, { id: subjectId, partnershipId: scope.partnershipId });
      if (!subject) {
        throw DomainError.invalid('subjectId', 'is not a subject of this partnership');
      }
      await em.query(`SELECT 1 FROM subjects WHERE id = $1 FOR UPDATE`, [subjectId]);
      await this.assertLinked(em, subjectId, incidentIds, 'incidentIds');
      const open = await em.findOne(GalleryListing, {
        where: [
          { galleryId, subjectId, state: ListingState.Pending },
          { galleryId, subjectId, state: ListingState.Listed },
        ],
      });
      if (open) {
        throw new DomainError(
          ErrorCode.Conflict,
          open.state === ListingState.Pending
            ? 'A listing of this subject in this gallery awaits review'
            : 'This subject is already listed in this gallery: renew or delist it',
        );
      }
      const { identifiers } = await em.insert(GalleryListing, {
        partnershipId: scope.partnershipId,
        galleryId,
        subjectId,
        state: ListingState.Pending,
        reason,
        incidentIds,
        proposedBy: scope.actorId,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: subjectId,
        justification: `proposed for gallery listing ${id}: ${reason}`,
      });
      return em.findOneByOrFail(GalleryListing, { id });
    });
  }

  private async assertLinked(em: EntityManager, subjectId: string, incidentIds: string[], field: string) {
    if (!incidentIds.length) {
      throw DomainError.invalid(field, 'must name at least one incident linked to the subject');
    }
    const linked = await em.find(SubjectIncident, { select: { incidentId: true }, where: { subjectId } });
    const set = new Set(linked.map((l) => l.incidentId));
    const missing = incidentIds.filter((i) => !set.has(i));
    if (missing.length) {
      throw DomainError.invalid(field, `are not all linked to the subject (${missing.length} not linked)`);
    }
  }

  private async listingFor(em: EntityManager, scope: TenantScope, id: string): Promise<GalleryListing> {
    return (
      (await em.findOne(GalleryListing, {
        where: { id, partnershipId: scope.partnershipId },
        lock: { mode: 'pessimistic_write' },
      })) ?? notFound('Listing')
    );
  }

  /** A second person reviews: approve lists it until now + the gallery's default days. */
  review(
    scope: TenantScope,
    id: string,
    approve: boolean,
    note: string | null,
    now: Date,
  ): Promise<GalleryListing> {
    return this.db.run(scope, async (em) => {
      const listing = await this.listingFor(em, scope, id);
      if (listing.state !== ListingState.Pending) {
        throw new DomainError(ErrorCode.Conflict, `The listing is ${listing.state}, not awaiting review`);
      }
      if (listing.proposedBy === scope.actorId) {
        throw DomainError.forbidden('A second person must review a listing you proposed');
      }
      const subject = await em.findOneByOrFail(Subject, { id: listing.subjectId });
      if (approve && subject.juvenile && !note) {
        throw DomainError.invalid('note', 'is required: listing a juvenile needs a recorded special review');
      }
      const gallery = await em.findOneByOrFail(Gallery, { id: listing.galleryId });
      await em.update(
        GalleryListing,
        { id },
        {
          state: approve ? ListingState.Listed : ListingState.Rejected,
          reviewedBy: scope.actorId,
          reviewedAt: now,
          reviewNote: note,
          ...(approve
            ? { listedAt: now, expiresAt: new Date(now.getTime() + gallery.defaultListingDays * DAY_MS) }
            : {}),
        },
      );
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: listing.subjectId,
        justification: `listing ${id} ${approve ? 'approved' : 'rejected'}${note ? `: ${note}` : ''}`,
      });
      return em.findOneByOrFail(GalleryListing, { id });
    });
  }

  delist(scope: TenantScope, id: string, reason: string, now: Date): Promise<GalleryListing> {
    return this.db.run(scope, async (em) => {
      const listing = await this.listingFor(em, scope, id);
      if (listing.state !== ListingState.Listed && listing.state !== ListingState.Pending) {
        throw new DomainError(ErrorCode.Conflict, `The listing is already ${listing.state}`);
      }
      await em.update(
        GalleryListing,
        { id },
        { state: ListingState.Delisted, delistedBy: scope.actorId, delistedAt: now, delistReason: reason },
      );
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: listing.subjectId,
        justification: `listing ${id} delisted: ${reason}`,
      });
      return em.findOneByOrFail(GalleryListing, { id });
    });
  }

  /** Renews a listing only with new linked incidents since it was listed or last renewed. */
  renew(
    scope: TenantScope,
    id: string,
    incidentIds: string[],
    reason: string,
    now: Date,
  ): Promise<GalleryListing> {
    return this.db.run(scope, async (em) => {
      const listing = await this.listingFor(em, scope, id);
      if (listing.state !== ListingState.Listed) {
        throw new DomainError(
          ErrorCode.Conflict,
          `The listing is ${listing.state}: only a listing can be renewed`,
        );
      }
      await this.assertLinked(em, listing.subjectId, incidentIds, 'incidentIds');
      const since = listing.renewedAt ?? listing.listedAt ?? listing.createdAt;
      const fresh = await em
        .createQueryBuilder(Incident, 'i')
        .where('i.id IN (:...ids) AND i.occurred_at > :since', { ids: incidentIds, since })
        .getCount();
      const already = incidentIds.filter((i) => listing.incidentIds.includes(i));
      if (!fresh || already.length === incidentIds.length) {
        throw DomainError.invalid(
          'incidentIds',
          'must include an incident newer than the listing or its last renewal',
        );
      }
      const gallery = await em.findOneByOrFail(Gallery, { id: listing.galleryId });
      await em.update(
        GalleryListing,
        { id },
        {
          renewedAt: now,
          expiresAt: new Date(now.getTime() + gallery.defaultListingDays * DAY_MS),
          incidentIds: [...new Set([...listing.incidentIds, ...incidentIds])],
        },
      );
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: listing.subjectId,
        justification: `listing ${id} renewed: ${reason}`,
      });
      return em.findOneByOrFail(GalleryListing, { id });
    });
  }

  listings(scope: TenantScope, state: ListingState | null): Promise<GalleryListing[]> {
    return this.db.run(scope, (em) =>
      em.find(GalleryListing, {
        where: { partnershipId: scope.partnershipId, ...(state ? { state } : {}) },
        order: { createdAt: 'DESC' },
        take: 500,
      }),
    );
  }

  // --- serial flags -----------------------------------------------------------------------------

  flags(scope: TenantScope, state: SerialFlagState | null, page: PageRequest): Promise<Page<SerialFlag>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(SerialFlag, 'f')
        .where('f.partnership_id = :pid', { pid: scope.partnershipId });
      if (state) {
        qb.andWhere('f.state = :state', { state });
      }
      const result = await paginate(qb, page);
      await appendAudit(
        em,
        scope,
        result.items.map((f) => ({
          action: AccessAction.Consult,
          objectType: 'subject',
          objectId: f.subjectId,
        })),
      );
      return result;
    });
  }

  flag(scope: TenantScope, id: string): Promise<SerialFlag> {
    return this.db.run(scope, async (em) => {
      const flag =
        (await em.findOneBy(SerialFlag, { id, partnershipId: scope.partnershipId })) ?? notFound('Flag');
      await appendAudit(em, scope, {
        action: AccessAction.Consult,
        objectType: 'subject',
        objectId: flag.subjectId,
        justification: `serial flag ${id}`,
      });
      return flag;
    });
  }

  /** new -> reviewed -> case_opened | dismissed (new may go straight to either). */
  decideFlag(scope: TenantScope, id: string, to: SerialFlagState, note: string | null): Promise<SerialFlag> {
    return this.db.run(scope, async (em) => {
      const flag =
        (await em.findOne(SerialFlag, {
          where: { id, partnershipId: scope.partnershipId },
          lock: { mode: 'pessimistic_write' },
        })) ?? notFound('Flag');
      const allowed: Record<SerialFlagState, SerialFlagState[]> = {
        [SerialFlagState.New]: [
          SerialFlagState.Reviewed,
          SerialFlagState.CaseOpened,
          SerialFlagState.Dismissed,
        ],
        [SerialFlagState.Reviewed]: [SerialFlagState.CaseOpened, SerialFlagState.Dismissed],
        [SerialFlagState.CaseOpened]: [],
        [SerialFlagState.Dismissed]: [],
        [SerialFlagState.Withdrawn]: [],
      };
      if (!allowed[flag.state].includes(to)) {
        throw new DomainError(ErrorCode.Conflict, `A ${flag.state} flag cannot become ${to}`);
      }
      if (to === SerialFlagState.Dismissed && !note) {
        throw DomainError.invalid('note', 'is required to dismiss a flag: record why');
      }
      await em.update(
        SerialFlag,
        { id },
        { state: to, decidedBy: scope.actorId, decidedAt: () => 'now()', decisionNote: note },
      );
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: flag.subjectId,
        justification: `serial flag ${id}: ${flag.state} -> ${to}${note ? `: ${note}` : ''}`,
      });
      return em.findOneByOrFail(SerialFlag, { id });
    });
  }
}
