import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { type Page, type PageRequest, textSearch } from '@app/database';
import { type Subject, type SubjectFields, SubjectRepository } from '@app/offenders';
import { notFound } from './not-found';

/** Subjects and their incident links; a subject outside the partnership or out of sight is a 404. */
@Injectable()
export class SubjectsService {
  constructor(private readonly subjects: SubjectRepository) {}

  create(scope: TenantScope, fields: SubjectFields) {
    return this.subjects.createSubject(scope, fields);
  }

  list(scope: TenantScope, now: Date, page: PageRequest & { q?: string }): Promise<Page<Subject>> {
    return this.subjects.listSubjects(scope, now, page, textSearch(page.q));
  }

  async read(scope: TenantScope, id: string, now: Date) {
    return (await this.subjects.readSubject(scope, id, now)) ?? notFound('Subject');
  }

  async update(scope: TenantScope, id: string, patch: Partial<SubjectFields>) {
    return (await this.subjects.updateSubject(scope, id, patch)) ?? notFound('Subject');
  }

  async links(scope: TenantScope, id: string) {
    return (await this.subjects.links(scope, id)) ?? notFound('Subject');
  }

  async link(scope: TenantScope, id: string, incidentId: string, note: string | null) {
    return (await this.subjects.link(scope, id, incidentId, note)) ?? notFound('Subject');
  }

  async unlink(scope: TenantScope, id: string, incidentId: string, reason: string): Promise<void> {
    const result = await this.subjects.unlink(scope, id, incidentId, reason);
    if (result !== 'unlinked') {
      notFound(result === 'no-subject' ? 'Subject' : 'Link');
    }
  }

  async suggestions(scope: TenantScope, id: string, now: Date) {
    return (await this.subjects.suggestions(scope, id, now)) ?? notFound('Subject');
  }
}
