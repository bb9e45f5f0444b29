import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, TenantDb } from '@app/database';

/** Who the request is about: a user found by e-mail, and/or a name as written in records. */
export interface DataSubject {
  userId: string | null;
  email: string | null;
  /** compared case-insensitively, trimmed */
  name: string | null;
}

/** Replaces a third party's identity in an export. */
export const REDACTED = '[third party redacted]';

interface SectionCtx {
  em: EntityManager;
  partnershipId: string;
  person: DataSubject;
  /** incidents holding the person as victim (reporter) or as a witness */
  incidentIds: string[];
}

/** One table (or use of a table) that can hold a person, with its query and its redaction. */
export interface SubjectAccessSection {
  name: string;
  rows: (ctx: SectionCtx) => Promise<Record<string, unknown>[]>;
}

const same = (a: unknown, b: string | null) =>
  b !== null && typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

function witnessesOf(list: unknown, person: DataSubject) {
  return (Array.isArray(list) ? list : []).map(
    (w: { name?: string; kind?: string; contact?: string | null }) =>
      same(w?.name, person.name) ? w : { name: REDACTED, kind: w?.kind ?? null, contact: null },
  );
}

/**
 * Every table that can hold a person, in one list (a subject access export must not miss one:
 * the privacy test plants a person in each and counts). Third parties are redacted: other people's
 * names, contacts, descriptions and ids; offenders are never named to the requester.
 */
export const SUBJECT_ACCESS_SECTIONS: SubjectAccessSection[] = [
  {
    name: 'reportsAsVictim',
    rows: async ({ em, person }) => {
      if (!person.userId) {
        return [];
      }
      const rows = await em.query(
        `SELECT id, store_id, status, types, triggers, weapon, injury, occurred_at, reported_at, narrative,
                witnesses, jsonb_array_length(offenders) AS offenders, police_reported, crime_reference,
                victim_support_offered, created_at
           FROM incidents WHERE reported_by = $1 AND reported_by_kind = 'user' ORDER BY created_at`,
        [person.userId],
      );
      return rows.map((r: Record<string, unknown>) => ({
        ...r,
        witnesses: witnessesOf(r.witnesses, person),
        offenders: `${Number(r.offenders)} description(s) of third parties withheld`,
      }));
    },
  },
  {
    name: 'reportsAsWitness',
    rows: async ({ em, person }) => {
      if (!person.name) {
        return [];
      }
      const rows = await em.query(
        `SELECT id, store_id, occurred_at, witnesses, created_at FROM incidents
          WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(witnesses) w
                         WHERE lower(trim(w->>'name')) = lower(trim($1)))
            AND NOT (reported_by = $2 AND reported_by_kind = 'user')
          ORDER BY created_at`,
        [person.name, person.userId ?? '00000000-0000-0000-0000-000000000000'],
      );
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id,
        storeId: r.store_id,
        occurredAt: r.occurred_at,
        // the report is the reporter's account: only the person's own witness entry is theirs
        asWitness: witnessesOf(r.witnesses, person).filter((w) => w.name !== REDACTED),
        createdAt: r.created_at,
      }));
    },
  },
  {
    name: 'witnessStatements',
    rows: async ({ em, person }) => {
      if (!person.name) {
        return [];
      }
      const rows = await em.query(
        `SELECT id, incident_id, version, supersedes_id, witness_name, witness_age_if_under18, witness_occupation,
                statement_text, page_count, declaration_text, read_over_by, signature_name, signed_at,
                content_sha256, created_at
           FROM witness_statements
          WHERE lower(trim(witness_name)) = lower(trim($1)) OR lower(trim(signature_name)) = lower(trim($1))
          ORDER BY created_at`,
        [person.name],
      );
      return rows.map((r: Record<string, unknown>) => ({
        ...r,
        read_over_by:
          r.read_over_by === null || same(r.read_over_by, person.name) ? r.read_over_by : REDACTED,
      }));
    },
  },
  {
    name: 'alerts',
    rows: ({ em, person }) =>
      person.userId
        ? em.query(
            `SELECT id, seq, type, priority, message, target_kind, created_at FROM alerts
              WHERE sender_id = $1 ORDER BY seq`,
            [person.userId],
          )
        : Promise.resolve([]),
  },
  {
    name: 'evidence',
    rows: ({ em, person }) =>
      em.query(
        `SELECT id, incident_id, reference, sha256, media_type, size_bytes, original_name, captured_at,
                clock_offset_seconds, producer_name, created_at
           FROM exhibits
          WHERE uploaded_by = $1 OR lower(trim(producer_name)) = lower(trim($2)) ORDER BY created_at`,
        [person.userId ?? '00000000-0000-0000-0000-000000000000', person.name ?? '\u0000'],
      ),
  },
  {
    name: 'accessLog',
    rows: async ({ em, person, incidentIds }) => {
      const rows = await em.query(
        `SELECT id, seq, actor_id, actor_kind, action, object_type, object_id, recipients, created_at
           FROM access_log
          WHERE actor_id = $1 OR object_id = $1 OR object_id = ANY($2::uuid[])
          ORDER BY seq`,
        [person.userId ?? '00000000-0000-0000-0000-000000000000', incidentIds],
      );
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id,
        seq: r.seq,
        by:
          r.actor_id !== null && r.actor_id === person.userId
            ? 'you'
            : `${String(r.actor_kind)} (${REDACTED})`,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        recipients: r.recipients,
        createdAt: r.created_at,
      }));
    },
  },
  {
    name: 'subjectLinks',
    rows: async ({ em, incidentIds }) => {
      const rows = await em.query(
        `SELECT id, incident_id, created_at FROM subject_incidents WHERE incident_id = ANY($1::uuid[]) ORDER BY created_at`,
        [incidentIds],
      );
      // the subject is a third party: the link is disclosed, never who it points at
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id,
        incidentId: r.incident_id,
        linkedTo: `a subject record (${REDACTED})`,
        createdAt: r.created_at,
      }));
    },
  },
  {
    name: 'caseMessages',
    rows: async ({ em, person, incidentIds }) => {
      const rows = await em.query(
        `SELECT h.id, h.case_id, h.kind, h.to_status, h.plain_words, h.changed_by, h.created_at
           FROM case_history h
          WHERE h.plain_words IS NOT NULL
            AND (h.changed_by = $1
                 OR h.case_id IN (SELECT case_id FROM case_incidents WHERE incident_id = ANY($2::uuid[])))
          ORDER BY h.created_at`,
        [person.userId ?? '00000000-0000-0000-0000-000000000000', incidentIds],
      );
      return rows.map((r: Record<string, unknown>) => ({
        id: r.id,
        caseId: r.case_id,
        kind: r.kind,
        status: r.to_status,
        message: r.plain_words,
        from: r.changed_by === person.userId ? 'you' : REDACTED,
        createdAt: r.created_at,
      }));
    },
  },
];

export interface SubjectAccessExport {
  subject: { userId: string | null; email: string | null; name: string | null };
  generatedAt: string;
  sections: Record<string, Record<string, unknown>[]>;
}

/**
 * Subject access (UK GDPR art. 15; DPA 2018 s.45 for law-enforcement processing): everything the
 * partnership holds about one person, third parties redacted, logged as a disclosure to the subject.
 */
@Injectable()
export class SubjectAccessRepository {
  constructor(private readonly db: TenantDb) {}

  /** A user of the partnership with this e-mail (case-insensitive), or null. */
  findUser(scope: TenantScope, email: string): Promise<{ id: string; displayName: string } | null> {
    return this.db.run(scope, async (em) => {
      const [u] = await em.query(
        `SELECT id, display_name FROM users WHERE partnership_id = $1 AND lower(email) = lower($2)`,
        [scope.partnershipId, email],
      );
      return u ? { id: u.id as string, displayName: u.display_name as string } : null;
    });
  }

  async export(
    scope: TenantScope,
    person: DataSubject,
    justification: string | null,
    sections: SubjectAccessSection[] = SUBJECT_ACCESS_SECTIONS,
  ): Promise<SubjectAccessExport> {
    // the access-log section reads the chain: rows a stopped process committed join it first
    await this.db.chainAccessLog(scope);
    return this.db.run(scope, async (em) => {
      const ids: { id: string }[] = await em.query(
        `SELECT id FROM incidents
          WHERE (reported_by = $1 AND reported_by_kind = 'user')
             OR EXISTS (SELECT 1 FROM jsonb_array_elements(witnesses) w WHERE lower(trim(w->>'name')) = lower(trim($2)))`,
        [person.userId ?? '00000000-0000-0000-0000-000000000000', person.name ?? '\u0000'],
      );
      const ctx: SectionCtx = {
        em,
        partnershipId: scope.partnershipId,
        person,
        incidentIds: ids.map((r) => r.id),
      };
      const out: SubjectAccessExport['sections'] = {};
      for (const s of sections) {
        out[s.name] = await s.rows(ctx);
      }
      await appendAudit(em, scope, {
        action: AccessAction.Disclose,
        objectType: 'subject_access',
        objectId: person.userId,
        recipients: ['data subject'],
        justification,
      });
      return {
        subject: { userId: person.userId, email: person.email, name: person.name },
        generatedAt: new Date().toISOString(),
        sections: out,
      };
    });
  }
}
