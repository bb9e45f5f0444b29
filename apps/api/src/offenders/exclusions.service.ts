import { Injectable } from '@nestjs/common';
import { assertStoreAccess, isShopRole, storeFilterFor, type TenantScope } from '@app/auth';
import { Clock, type PageRequest } from '@app/database';
import { DomainError } from '@app/errors';
import {
  type AppealOutcome,
  type AppealStatus,
  type ExclusionLetter,
  ExclusionRepository,
  type NewExclusion,
  SubjectRepository,
} from '@app/offenders';
import { notFound } from './not-found';

/** Exclusion notices: a store manager serves them (and prints their letters) for their own store only. */
@Injectable()
export class ExclusionsService {
  constructor(
    private readonly exclusions: ExclusionRepository,
    private readonly subjects: SubjectRepository,
    private readonly clock: Clock,
  ) {}

  async issue(scope: TenantScope, subjectId: string, data: NewExclusion) {
    if (!(await this.subjects.subjectExists(scope, subjectId))) {
      notFound('Subject');
    }
    if (storeFilterFor(scope)) {
      if (!data.storeIds.length || data.area) {
        throw DomainError.forbidden('A store manager serves notices for their own store only');
      }
      data.storeIds.forEach((s) => assertStoreAccess(scope, s));
    }
    if (data.servedAt > this.clock.now()) {
      throw DomainError.invalid('servedAt', 'cannot be in the future');
    }
    return (await this.exclusions.issue(scope, subjectId, data)) ?? notFound('Subject');
  }

  /**
   * The served copy's content, logged as a disclosure to the person excluded. A store manager
   * prints only notices naming their store (area notices are the coordinators'), as they serve them.
   */
  async letter(scope: TenantScope, id: string): Promise<ExclusionLetter> {
    const notice = (await this.exclusions.findNotice(scope, id)) ?? notFound('Exclusion notice');
    if (isShopRole(scope.role) || scope.actorKind === 'device') {
      if (!scope.storeId || !notice.storeIds.includes(scope.storeId)) {
        throw DomainError.forbidden('A store manager prints notices for their own store only');
      }
    }
    const r = (await this.exclusions.letter(scope, id)) ?? notFound('Exclusion notice');
    return {
      noticeId: r.notice.id,
      partnershipName: r.partnership.name,
      appealContact: r.appealContact,
      subject: {
        kind: r.subject.kind,
        reference: r.subject.reference,
        name: r.subject.name,
        description: r.subject.description,
      },
      premises: r.stores.map((st) => ({ name: st.name, site: st.site, postcode: st.postcode })),
      area: r.notice.area,
      reason: r.notice.reason,
      servedAt: r.notice.servedAt.toISOString(),
      expiresAt: r.notice.expiresAt.toISOString(),
      servedByName: r.notice.servedByName,
      serviceMethod: r.notice.serviceMethod,
      acknowledgement: r.notice.acknowledgement,
      appealStatus: r.notice.appealStatus,
      appealOutcome: r.notice.appealOutcome,
      appealDecidedAt: r.notice.appealDecidedAt?.toISOString() ?? null,
    };
  }

  async forSubject(scope: TenantScope, subjectId: string) {
    return (await this.exclusions.forSubject(scope, subjectId)) ?? notFound('Subject');
  }

  applying(scope: TenantScope, storeId: string | null, page: PageRequest) {
    return this.exclusions.applying(scope, this.clock.now(), storeId, page);
  }

  async appeal(
    scope: TenantScope,
    id: string,
    status: AppealStatus,
    outcome: AppealOutcome | null,
    note: string | null,
  ) {
    return (
      (await this.exclusions.appeal(scope, id, status, outcome, note, this.clock.now())) ??
      notFound('Exclusion notice')
    );
  }
}
