import { Injectable } from '@nestjs/common';
import type { Role, TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { galleryShownTo, GalleryRepository, type ListingState } from '@app/offenders';
import { notFound } from './not-found';

/** Galleries and listings; who may view a gallery is decided here. */
@Injectable()
export class GalleriesService {
  constructor(private readonly galleries: GalleryRepository) {}

  create(
    scope: TenantScope,
    fields: { name: string; purpose: string | null; defaultListingDays: number; audienceRoles: Role[] },
  ) {
    return this.galleries.createGallery(scope, fields);
  }

  list(scope: TenantScope) {
    return this.galleries.galleries(scope);
  }

  async subjects(scope: TenantScope, id: string, now: Date) {
    const gallery = (await this.galleries.gallery(scope, id)) ?? notFound('Gallery');
    if (!galleryShownTo(scope, gallery)) {
      throw DomainError.forbidden('This gallery is not shown to your role');
    }
    return this.galleries.gallerySubjects(scope, gallery, now);
  }

  async propose(scope: TenantScope, id: string, subjectId: string, reason: string, incidentIds: string[]) {
    return (await this.galleries.propose(scope, id, subjectId, reason, incidentIds)) ?? notFound('Gallery');
  }

  listings(scope: TenantScope, state: ListingState | null) {
    return this.galleries.listings(scope, state);
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
