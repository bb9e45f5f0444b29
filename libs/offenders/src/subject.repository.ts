import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { DomainError } from '@app/errors';
import { JobName } from '@app/queue';
import {
  AccessAction,
  appendAudit,
  appendOutbox,
  type Page,
  type PageRequest,
  NAME_SIMILARITY,
  paginateConsulted,
  SEARCH_CONFIG,
  TenantDb,
  type TextSearch,
} from '@app/database';
import { Incident, recordContent } from '@app/incidents';
import { GalleryListing } from './entities/gallery.entity';
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
import { findVisible, intelSubject, visibleSql } from './subject-visibility';

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

/**
 * Subjects, their images and incident links. Every read of a subject or image is a consultation
 * in the access log; who may see a subject is decided in `subject-visibility`.
 */
@Injectable()
export class SubjectRepository {
  constructor(private readonly db: TenantDb) {}

  /** Whether the subject is the partnership's (checked before reading an upload). */
  async subjectExists(scope: TenantScope, id: string): Promise<boolean> {
    return !!(await this.db.run(scope, (em) => intelSubject(em, scope, id)));
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

  updateSubject(scope: TenantScope, id: string, patch: Partial<SubjectFields>): Promise<Subject | null> {
    return this.db.run(scope, async (em) => {
      const before = await intelSubject(em, scope, id, true);
      if (!before) {
        return null;
      }
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
  readSubject(scope: TenantScope, id: string, now: Date): Promise<SubjectView | null> {
    return this.db.run(scope, async (em) => {
      const subject = await findVisible(em, scope, id, now);
      if (!subject) {
        return null;
      }
      await appendAudit(em, scope, { action: AccessAction.Consult, objectType: 'subject', objectId: id });
      return {
        subject,
        aggregate: await em.findOneBy(SubjectAggregate, { subjectId: id }),
        images: await em.find(SubjectImage, { where: { subjectId: id }, order: { createdAt: 'ASC' } }),
        listings: await em.find(GalleryListing, { where: { subjectId: id }, order: { createdAt: 'DESC' } }),
      };
    });
  }

  /**
   * Subjects the caller may see, newest first; each one returned is logged as consulted. A search
   * matches the reference, names, aliases and description by word, and names and aliases also by
   * trigram similarity, so a misspelt name still finds them; best match first.
   */
  listSubjects(scope: TenantScope, now: Date, page: PageRequest, search?: TextSearch | null): Promise<Page<Subject>> {
    return this.db.run(scope, async (em) => {
      const params: unknown[] = [];
      const cond = visibleSql(scope, 's', params, now);
      const named = Object.fromEntries(params.map((p, i) => [`v${i + 1}`, p]));
      const qb = em
        .createQueryBuilder(Subject, 's')
        .where('s.partnership_id = :pid', { pid: scope.partnershipId })
        .andWhere(
          cond.replace(/\$(\d+)/g, (_m, d: string) => `:v${d}`),
          named,
        );
      if (!search) {
        return paginateConsulted(em, scope, qb, page, 'subject');
      }
      // the threshold of `<%`, which the trigram index answers; for this transaction only
      await em.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(NAME_SIMILARITY)]);
      const doc = 'subject_search_document(s.reference, s.name, s.aliases, s.description)';
      const names = 'subject_search_names(s.reference, s.name, s.aliases)';
      const tsq = `to_tsquery('${SEARCH_CONFIG}', :tsq)`;
      qb.andWhere(`(${doc} @@ ${tsq} OR :text <% ${names})`, { tsq: search.tsquery, text: search.text });
      return paginateConsulted(em, scope, qb, page, 'subject', undefined, {
        rank: `ts_rank(${doc}, ${tsq}) + word_similarity(:text, ${names})`,
      });
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
  ): Promise<{ image: SubjectImage; created: boolean } | null> {
    return this.db.run(scope, async (em) => {
      if (!(await intelSubject(em, scope, subjectId, true))) {
        return null;
      }
      const existing = await em.findOneBy(SubjectImage, { subjectId, sha256: data.sha256 });
      if (existing) {
        await place();
        return { image: existing, created: false };
      }
      await recordContent(em, scope.partnershipId, data);
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
  /** Null whether the image is absent or its subject not visible: the same answer either way. */
  viewImage(scope: TenantScope, imageId: string, now: Date): Promise<SubjectImage | null> {
    return this.db.run(scope, async (em) => {
      const image = await em.findOneBy(SubjectImage, { id: imageId, partnershipId: scope.partnershipId });
      if (!image || !(await findVisible(em, scope, image.subjectId, now))) {
        return null;
      }
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
  ): Promise<SubjectIncident | null> {
    return this.db.run(scope, async (em) => {
      if (!(await intelSubject(em, scope, subjectId, true))) {
        return null;
      }
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

  /** Says which of the subject or the link was missing; nothing is written then. */
  unlink(
    scope: TenantScope,
    subjectId: string,
    incidentId: string,
    reason: string,
  ): Promise<'unlinked' | 'no-subject' | 'no-link'> {
    return this.db.run(scope, async (em) => {
      if (!(await intelSubject(em, scope, subjectId, true))) {
        return 'no-subject';
      }
      const { affected } = await em.delete(SubjectIncident, { subjectId, incidentId });
      if (!affected) {
        return 'no-link';
      }
      await appendAudit(em, scope, {
        action: AccessAction.Alter,
        objectType: 'subject',
        objectId: subjectId,
        justification: `unlinked incident ${incidentId}: ${reason}`,
      });
      await this.enqueueRefresh(em, scope, subjectId);
      return 'unlinked';
    });
  }

  links(scope: TenantScope, subjectId: string): Promise<SubjectIncident[] | null> {
    return this.db.run(scope, async (em) => {
      if (!(await intelSubject(em, scope, subjectId))) {
        return null;
      }
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
  suggestions(scope: TenantScope, subjectId: string, now: Date): Promise<Suggestion[] | null> {
    return this.db.run(scope, async (em) => {
      const subject = await intelSubject(em, scope, subjectId);
      if (!subject) {
        return null;
      }
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
}
