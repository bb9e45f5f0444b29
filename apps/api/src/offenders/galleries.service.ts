import { Injectable } from '@nestjs/common';
import type { Role, TenantScope } from '@app/auth';
import type { PageRequest } from '@app/database';
import { DomainError } from '@app/errors';
import {
  type Gallery,
  type GalleryBriefing,
  galleryShownTo,
  GalleryRepository,
  type ListingState,
  roleWords,
} from '@app/offenders';
import { EvidenceStore } from '../evidence/evidence-store';
import { notFound } from './not-found';

/** Galleries and listings; who may view a gallery is decided here. */
@Injectable()
export class GalleriesService {
  constructor(
    private readonly galleries: GalleryRepository,
    private readonly store: EvidenceStore,
  ) {}

  create(
    scope: TenantScope,
    fields: { name: string; purpose: string | null; defaultListingDays: number; audienceRoles: Role[] },
  ) {
    return this.galleries.createGallery(scope, fields);
  }

  list(scope: TenantScope, page: PageRequest) {
    return this.galleries.galleries(scope, page);
  }

  /** The gallery if the scope may view it: 404 outside the partnership, 403 not shown to the role. */
  private async viewable(scope: TenantScope, id: string): Promise<Gallery> {
    const gallery = (await this.galleries.gallery(scope, id)) ?? notFound('Gallery');
    if (!galleryShownTo(scope, gallery)) {
      throw DomainError.forbidden('This gallery is not shown to your role');
    }
    return gallery;
  }

  async subjects(scope: TenantScope, id: string, now: Date) {
    return this.galleries.gallerySubjects(scope, await this.viewable(scope, id), now);
  }

  /**
   * The briefing sheet's content, for exactly those who may view the gallery; logged as a
   * disclosure of each subject and photo to the caller. Photos are the metadata-free viewing
   * copies the gallery already serves, never the masters.
   */
  async briefing(scope: TenantScope, id: string, now: Date): Promise<GalleryBriefing> {
    const gallery = await this.viewable(scope, id);
    const r = await this.galleries.briefing(scope, gallery, now);
    const entries = [];
    for (const { subject, listing, printable, notPrinted } of r.rows) {
      const images = [];
      for (const image of printable) {
        images.push(await this.store.read(this.store.derivativePath(scope.partnershipId, image.viewSha256!)));
      }
      entries.push({
        kind: subject.kind,
        reference: subject.reference,
        name: subject.name,
        aliases: subject.aliases,
        description: subject.description,
        vehicles: subject.vehicles,
        juvenile: subject.juvenile,
        reason: listing.reason,
        listedAt: listing.listedAt?.toISOString() ?? null,
        reviewedAt: listing.reviewedAt?.toISOString() ?? null,
        renewedAt: listing.renewedAt?.toISOString() ?? null,
        expiresAt: listing.expiresAt?.toISOString() ?? null,
        images,
        imagesNotPrinted: notPrinted,
      });
    }
    return {
      partnershipName: r.partnership.name,
      galleryName: gallery.name,
      purpose: gallery.purpose,
      printedFor: [r.reader.displayName, roleWords(scope.role), r.reader.storeName]
        .filter((x): x is string => !!x)
        .join(', '),
      entries,
    };
  }

  async propose(scope: TenantScope, id: string, subjectId: string, reason: string, incidentIds: string[]) {
    return (await this.galleries.propose(scope, id, subjectId, reason, incidentIds)) ?? notFound('Gallery');
  }

  listings(scope: TenantScope, state: ListingState | null, page: PageRequest) {
    return this.galleries.listings(scope, state, page);
  }

  async review(scope: TenantScope, id: string, approve: boolean, note: string | null, now: Date) {
    return (await this.galleries.review(scope, id, approve, note, now)) ?? notFound('Listing');
  }

  async delist(scope: TenantScope, id: string, reason: string, now: Date) {
    return (await this.galleries.delist(scope, id, reason, now)) ?? notFound('Listing');
  }

  async renew(scope: TenantScope, id: string, incidentIds: string[], reason: string, now: Date) {
    return (await this.galleries.renew(scope, id, incidentIds, reason, now)) ?? notFound('Listing');
  }
}
