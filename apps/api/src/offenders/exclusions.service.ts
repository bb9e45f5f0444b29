import { Injectable } from '@nestjs/common';
import { assertStoreAccess, storeFilterFor, type TenantScope } from '@app/auth';
import { Clock } from '@app/database';
import { DomainError } from '@app/errors';
import {
  type AppealOutcome,
  type AppealStatus,
  ExclusionRepository,
  type NewExclusion,
  SubjectRepository,
} from '@app/offenders';
import { notFound } from './not-found';

/** Exclusion notices: a store manager serves them for their own store only. */
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

  async forSubject(scope: TenantScope, subjectId: string) {
    return (await this.exclusions.forSubject(scope, subjectId)) ?? notFound('Subject');
  }

  applying(scope: TenantScope, storeId: string | null) {
    return this.exclusions.applying(scope, this.clock.now(), storeId);
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
