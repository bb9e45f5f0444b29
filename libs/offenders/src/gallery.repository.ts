import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Role, ROLES, type TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { AccessAction, appendAudit, type Page, type PageRequest, paginate, TenantDb } from '@app/database';
import { Incident } from '@app/incidents';
import { Partnership } from '@app/partnerships';
import { Gallery, GalleryListing, ListingState } from './entities/gallery.entity';
import { Subject, SubjectImage, SubjectIncident } from './entities/subject.entity';
import { DAY_MS } from './serial-rule';

/** How many photos of one subject a briefing sheet prints (as many as the till's gallery shows). */
export const BRIEFING_PHOTOS = 2;

/** What a gallery's briefing sheet is printed from (GalleriesService reads the photos' files). */
export interface GalleryBriefingRecord {
  partnership: Partnership;
  /** who is printing it: their name, and their store's if they belong to one */
  reader: { displayName: string; storeName: string | null };
  rows: {
    subject: Subject;
    listing: GalleryListing;
    /** up to BRIEFING_PHOTOS images with a viewing copy, newest first */
    printable: SubjectImage[];
    /** the subject's other images (no viewing copy, or beyond the limit) */
    notPrinted: number;
  }[];
}

/**
 * Galleries and their listings: a subject is proposed with a reason resting on linked incidents,
 * a second person reviews it, and a listing runs until it expires, is renewed or is delisted.
 */
@Injectable()
export class GalleryRepository {
  constructor(private readonly db: TenantDb) {}

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

  /** The galleries shown to the scope's role (as `galleryShownTo`), a page at a time, newest first. */
  galleries(scope: TenantScope, page: PageRequest): Promise<Page<Gallery>> {
    return this.db.run(scope, (em) => {
      const qb = em.createQueryBuilder(Gallery, 'g').where('g.partnership_id = :pid', { pid: scope.partnershipId });
      if (scope.actorKind === 'device') {
        qb.andWhere('false');
      } else if (!ROLES.managers.includes(scope.role)) {
        qb.andWhere(':role = ANY(g.audience_roles)', { role: scope.role });
      }
      return paginate(qb, page);
    });
  }

  gallery(scope: TenantScope, id: string): Promise<Gallery | null> {
    return this.db.run(scope, (em) => em.findOneBy(Gallery, { id, partnershipId: scope.partnershipId }));
  }

  /** The gallery's current listings (listed and unexpired at `now`), newest first, with their subjects. */
  private async current(
    em: EntityManager,
    gallery: Gallery,
    now: Date,
  ): Promise<{ subject: Subject; listing: GalleryListing; images: SubjectImage[] }[]> {
    const listings = await em
      .createQueryBuilder(GalleryListing, 'l')
      .where('l.gallery_id = :galleryId AND l.state = :state AND l.expires_at > :now', {
        galleryId: gallery.id,
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
        images: await em.find(SubjectImage, {
          where: { subjectId: listing.subjectId },
          order: { createdAt: 'DESC' },
        }),
      });
    }
    return out;
  }

  /** The subjects currently listed in a gallery: a gallery view, each subject logged as consulted. */
  gallerySubjects(
    scope: TenantScope,
    gallery: Gallery,
    now: Date,
  ): Promise<{ subject: Subject; listing: GalleryListing; images: SubjectImage[] }[]> {
    return this.db.run(scope, async (em) => {
      const out = await this.current(em, gallery, now);
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

  /**
   * The gallery's current listings as its briefing sheet prints them: a disclosure of each subject,
   * and of each photo printed, to the member printing it (brief 7.9: gallery views are logged).
   */
  briefing(scope: TenantScope, gallery: Gallery, now: Date): Promise<GalleryBriefingRecord> {
    return this.db.run(scope, async (em) => {
      const partnership = await em.findOneByOrFail(Partnership, { id: scope.partnershipId });
      const [reader]: { display_name: string; store_name: string | null }[] = await em.query(
        `SELECT u.display_name, s.name AS store_name
           FROM users u LEFT JOIN stores s ON s.id = u.store_id
          WHERE u.id = $1 AND u.partnership_id = $2`,
        [scope.actorId, scope.partnershipId],
      );
      const rows = (await this.current(em, gallery, now)).map(({ subject, listing, images }) => {
        const printable = images.filter((i) => i.viewSha256).slice(0, BRIEFING_PHOTOS);
        return { subject, listing, printable, notPrinted: images.length - printable.length };
      });
      const justification = `gallery briefing sheet printed: ${gallery.name}`;
      await appendAudit(
        em,
        scope,
        rows.flatMap((r) => [
          {
            action: AccessAction.Disclose,
            objectType: 'subject',
            objectId: r.subject.id,
            recipients: [scope.actorId],
            justification,
          },
          ...r.printable.map((i) => ({
            action: AccessAction.Disclose,
            objectType: 'subject_image',
            objectId: i.id,
            recipients: [scope.actorId],
            justification,
          })),
        ]),
      );
      return {
        partnership,
        reader: {
          displayName: reader?.display_name ?? 'unknown user',
          storeName: reader?.store_name ?? null,
        },
        rows,
      };
    });
  }

  /** Proposes a listing, with a reason resting on incidents linked to the subject; awaits review. */
  propose(
    scope: TenantScope,
    galleryId: string,
    subjectId: string,
    reason: string,
    incidentIds: string[],
  ): Promise<GalleryListing | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(Gallery, { id: galleryId, partnershipId: scope.partnershipId }))) {
        return null;
      }
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

  private listingFor(em: EntityManager, scope: TenantScope, id: string): Promise<GalleryListing | null> {
    return em.findOne(GalleryListing, {
      where: { id, partnershipId: scope.partnershipId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Locks a listing and applies `change`, which returns the access log's justification (null: no such listing). */
  private changeListing(
    scope: TenantScope,
    id: string,
    change: (em: EntityManager, listing: GalleryListing) => Promise<string>,
  ): Promise<GalleryListing | null> {
    return this.db.run(scope, async (em) => {
      const listing = await this.listingFor(em, scope, id);
      if (!listing) {
        return null;
      }
      const justification = await change(em, listing);
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: listing.subjectId,
        justification,
      });
      return em.findOneByOrFail(GalleryListing, { id });
    });
  }

  /** A second person reviews: approve lists it until now + the gallery's default days. */
  review(
    scope: TenantScope,
    id: string,
    approve: boolean,
    note: string | null,
    now: Date,
  ): Promise<GalleryListing | null> {
    return this.changeListing(scope, id, async (em, listing) => {
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
      return `listing ${id} ${approve ? 'approved' : 'rejected'}${note ? `: ${note}` : ''}`;
    });
  }

  delist(scope: TenantScope, id: string, reason: string, now: Date): Promise<GalleryListing | null> {
    return this.changeListing(scope, id, async (em, listing) => {
      if (listing.state !== ListingState.Listed && listing.state !== ListingState.Pending) {
        throw new DomainError(ErrorCode.Conflict, `The listing is already ${listing.state}`);
      }
      await em.update(
        GalleryListing,
        { id },
        { state: ListingState.Delisted, delistedBy: scope.actorId, delistedAt: now, delistReason: reason },
      );
      return `listing ${id} delisted: ${reason}`;
    });
  }

  /** Renews a listing only with new linked incidents since it was listed or last renewed. */
  renew(
    scope: TenantScope,
    id: string,
    incidentIds: string[],
    reason: string,
    now: Date,
  ): Promise<GalleryListing | null> {
    return this.changeListing(scope, id, async (em, listing) => {
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
      return `listing ${id} renewed: ${reason}`;
    });
  }

  /** Listings of every gallery (optionally in one state), a page at a time, newest first. */
  listings(scope: TenantScope, state: ListingState | null, page: PageRequest): Promise<Page<GalleryListing>> {
    return this.db.run(scope, (em) => {
      const qb = em
        .createQueryBuilder(GalleryListing, 'l')
        .where('l.partnership_id = :pid', { pid: scope.partnershipId });
      if (state) {
        qb.andWhere('l.state = :state', { state });
      }
      return paginate(qb, page);
    });
  }
}
