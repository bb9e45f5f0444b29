import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { DomainError, ErrorCode } from '@app/errors';
import { AccessAction, appendAudit, type Page, type PageRequest, paginateConsulted, TenantDb } from '@app/database';
import { AppealOutcome, AppealStatus, ExclusionNotice } from './entities/exclusion-notice.entity';
import { recordContent } from '@app/incidents';
import { LegalRule, OffenderSettings } from './entities/legal-rule.entity';
import { Partnership, Store } from '@app/partnerships';
import { Subject } from './entities/subject.entity';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from './serial-rule';
import { SubjectRepository } from './subject.repository';

export interface NewExclusion {
  storeIds: string[];
  area: string | null;
  reason: string;
  incidentIds: string[];
  servedAt: Date;
  servedByName: string;
  serviceMethod: string;
  acknowledgement: string | null;
  expiresAt: Date | null;
}

export interface OffenderSettingsValues extends SerialSettings {
  exclusionMonths: number;
  /** who an excluded person contacts to ask for a review or appeal (printed on the letter); null: not set */
  appealContact: string | null;
}

/** What the served copy of a notice is printed from (ExclusionsService maps it to the letter). */
export interface NoticeForLetter {
  notice: ExclusionNotice;
  subject: Subject;
  partnership: Partnership;
  /** the notice's stores, in the order it names them */
  stores: Store[];
  appealContact: string | null;
}

/** Whether a notice applies at `now`: served, unexpired and not overturned. Nothing flips a row. */
export function exclusionApplies(n: ExclusionNotice, now: Date): boolean {
  return n.servedAt <= now && now < n.expiresAt && n.appealOutcome !== AppealOutcome.Overturned;
}

function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
}

function lockedNotice(em: EntityManager, scope: TenantScope, id: string): Promise<ExclusionNotice | null> {
  return em.findOne(ExclusionNotice, {
    where: { id, partnershipId: scope.partnershipId },
    lock: { mode: 'pessimistic_write' },
  });
}

/** Exclusion notices, the partnership's offender settings and the legal rules. */
@Injectable()
export class ExclusionRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly subjects: SubjectRepository,
  ) {}

  /** Whether the notice is the partnership's (checked before reading an upload). */
  noticeExists(scope: TenantScope, id: string): Promise<boolean> {
    return this.db.run(scope, (em) =>
      em.existsBy(ExclusionNotice, { id, partnershipId: scope.partnershipId }),
    );
  }

  /** The partnership's notice, unlogged: for deciding who may print it. */
  findNotice(scope: TenantScope, id: string): Promise<ExclusionNotice | null> {
    return this.db.run(scope, (em) =>
      em.findOneBy(ExclusionNotice, { id, partnershipId: scope.partnershipId }),
    );
  }

  /**
   * Everything the served copy of a notice prints, logged as the notice's disclosure to the person
   * it excludes (the letter is handed to them) and a consultation of the subject by the printer.
   */
  letter(scope: TenantScope, id: string): Promise<NoticeForLetter | null> {
    return this.db.run(scope, async (em) => {
      const notice = await em.findOneBy(ExclusionNotice, { id, partnershipId: scope.partnershipId });
      if (!notice) {
        return null;
      }
      const subject = await em.findOneByOrFail(Subject, { id: notice.subjectId });
      const partnership = await em.findOneByOrFail(Partnership, { id: scope.partnershipId });
      const found = notice.storeIds.length
        ? await em.find(Store, {
            where: notice.storeIds.map((sid) => ({ id: sid, partnershipId: scope.partnershipId })),
          })
        : [];
      const stores = notice.storeIds
        .map((sid) => found.find((st) => st.id === sid))
        .filter((st): st is Store => !!st);
      const settings = await em.findOneBy(OffenderSettings, { partnershipId: scope.partnershipId });
      await appendAudit(em, scope, [
        {
          action: AccessAction.Disclose,
          objectType: 'exclusion_notice',
          objectId: notice.id,
          recipients: ['the person excluded (served copy)'],
          justification: 'exclusion notice letter printed',
        },
        {
          action: AccessAction.Consult,
          objectType: 'subject',
          objectId: subject.id,
          justification: `exclusion notice letter ${notice.id}`,
        },
      ]);
      return { notice, subject, partnership, stores, appealContact: settings?.appealContact ?? null };
    });
  }

  /** Null when the subject is not the partnership's. */
  issue(scope: TenantScope, subjectId: string, data: NewExclusion): Promise<ExclusionNotice | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(Subject, { id: subjectId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      if (!data.storeIds.length && !data.area) {
        throw DomainError.invalid('storeIds', 'or area is required: what the notice covers');
      }
      for (const storeId of data.storeIds) {
        if (!(await em.existsBy(Store, { id: storeId, partnershipId: scope.partnershipId }))) {
          throw DomainError.invalid('storeIds', 'are not all stores of this partnership');
        }
      }
      const settings = await em.findOneBy(OffenderSettings, { partnershipId: scope.partnershipId });
      const expiresAt = data.expiresAt ?? addMonths(data.servedAt, settings?.exclusionMonths ?? 12);
      if (expiresAt <= data.servedAt) {
        throw DomainError.invalid('expiresAt', 'must be after servedAt');
      }
      const { identifiers } = await em.insert(ExclusionNotice, {
        ...data,
        expiresAt,
        partnershipId: scope.partnershipId,
        subjectId,
        issuedBy: scope.actorId,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, {
        action: AccessAction.Collect,
        objectType: 'exclusion_notice',
        objectId: id,
      });
      return em.findOneByOrFail(ExclusionNotice, { id });
    });
  }

  forSubject(scope: TenantScope, subjectId: string): Promise<ExclusionNotice[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await em.existsBy(Subject, { id: subjectId, partnershipId: scope.partnershipId }))) {
        return null;
      }
      const rows = await em.find(ExclusionNotice, { where: { subjectId }, order: { servedAt: 'DESC' } });
      await appendAudit(
        em,
        scope,
        rows.map((r) => ({ action: AccessAction.Consult, objectType: 'exclusion_notice', objectId: r.id })),
      );
      return rows;
    });
  }

  /**
   * Notices that apply now (optionally at one store, counting area notices), a page at a time,
   * newest first; each returned logged as consulted.
   */
  applying(scope: TenantScope, now: Date, storeId: string | null, page: PageRequest): Promise<Page<ExclusionNotice>> {
    return this.db.run(scope, async (em) => {
      const qb = em
        .createQueryBuilder(ExclusionNotice, 'n')
        .where('n.partnership_id = :pid', { pid: scope.partnershipId })
        .andWhere('n.served_at <= :now AND n.expires_at > :now', { now })
        .andWhere(`(n.appeal_outcome IS NULL OR n.appeal_outcome <> 'overturned')`);
      if (storeId) {
        qb.andWhere('(:storeId = ANY(n.store_ids) OR n.area IS NOT NULL)', { storeId });
      }
      return paginateConsulted(em, scope, qb, page, 'exclusion_notice');
    });
  }

  appeal(
    scope: TenantScope,
    id: string,
    status: AppealStatus,
    outcome: AppealOutcome | null,
    note: string | null,
    now: Date,
  ): Promise<ExclusionNotice | null> {
    return this.db.run(scope, async (em) => {
      const notice = await lockedNotice(em, scope, id);
      if (!notice) {
        return null;
      }
      if (notice.appealStatus === AppealStatus.Decided) {
        throw new DomainError(ErrorCode.Conflict, 'The appeal has been decided');
      }
      if ((status === AppealStatus.Decided) !== (outcome !== null)) {
        throw DomainError.invalid('outcome', 'is required exactly when the appeal is decided');
      }
      await em.update(
        ExclusionNotice,
        { id },
        {
          appealStatus: status,
          appealOutcome: outcome,
          appealNote: note,
          appealDecidedAt: status === AppealStatus.Decided ? now : null,
        },
      );
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'exclusion_notice',
        objectId: id,
      });
      return em.findOneByOrFail(ExclusionNotice, { id });
    });
  }

  /** Records the proof of service (an evidence master, placed by `place` as the last step). */
  attachProof(
    scope: TenantScope,
    id: string,
    file: { sha256: string; sizeBytes: number; mediaType: string },
    place: () => Promise<void>,
  ): Promise<ExclusionNotice | null> {
    return this.db.run(scope, async (em) => {
      const notice = await lockedNotice(em, scope, id);
      if (!notice) {
        return null;
      }
      if (notice.proofSha256 && notice.proofSha256 !== file.sha256) {
        throw new DomainError(ErrorCode.Conflict, 'This notice already has its proof of service');
      }
      await recordContent(em, scope.partnershipId, file);
      await em.update(ExclusionNotice, { id }, { proofSha256: file.sha256 });
      await appendAudit(em, scope, {
        action: AccessAction.Collect,
        objectType: 'exclusion_notice',
        objectId: id,
      });
      await place();
      return em.findOneByOrFail(ExclusionNotice, { id });
    });
  }

  async settings(scope: TenantScope): Promise<OffenderSettingsValues> {
    const row = await this.db.run(scope, (em) =>
      em.findOneBy(OffenderSettings, { partnershipId: scope.partnershipId }),
    );
    return row
      ? {
          thresholdPence: row.thresholdPence,
          windowDays: row.windowDays,
          minIncidents: row.minIncidents,
          exclusionMonths: row.exclusionMonths,
          appealContact: row.appealContact,
        }
      : { ...DEFAULT_SERIAL_SETTINGS, exclusionMonths: 12, appealContact: null };
  }

  /**
   * Changes the settings and re-checks every subject of the partnership through the outbox. An
   * `appealContact` left undefined keeps the stored one.
   */
  updateSettings(
    scope: TenantScope,
    values: Omit<OffenderSettingsValues, 'appealContact'> & { appealContact?: string | null },
  ): Promise<OffenderSettingsValues> {
    return this.db.run(scope, async (em) => {
      // upsert leaves a column whose value is undefined as it is
      await em.upsert(OffenderSettings, { partnershipId: scope.partnershipId, ...values }, ['partnershipId']);
      await this.subjects.enqueueAll(em, scope);
      const row = await em.findOneByOrFail(OffenderSettings, { partnershipId: scope.partnershipId });
      return { ...values, appealContact: row.appealContact };
    });
  }

  legalRules(scope: TenantScope): Promise<LegalRule[]> {
    return this.db.run(scope, (em) => em.find(LegalRule, { order: { jurisdiction: 'ASC', key: 'ASC' } }));
  }
}
