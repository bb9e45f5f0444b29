import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CaseContinuityEntry,
  CaseEvidenceRequest,
  EvidencePack,
  EvidenceRequestKind,
  EvidenceRequestStatus,
  PackStatus,
  PoliceCase,
} from './entities/case.entity';
import { Exhibit, ImpactStatement, Incident, WitnessStatement } from '@app/incidents';
import { Partnership, Store } from '@app/partnerships';
import { User } from '@app/identity';
import { SystemDb } from '@app/database';
import { appendContinuity, syncEvidenceContinuity } from './case-continuity';

/** What the worker needs to plan a pack, read in one transaction. */
export interface PackSource {
  pack: EvidencePack;
  case: PoliceCase;
  partnership: Partnership;
  officerName: string | null;
  incidents: Incident[];
  /** each store's name and the member business that owns it (who suffers a loss) */
  stores: Map<string, { name: string; business: string }>;
  statements: WitnessStatement[];
  exhibits: Exhibit[];
  /** given with a linked report, or in answer to the case's police requests; oldest first */
  impactStatements: {
    id: string;
    kind: 'isb' | 'vps';
    madeBy: string;
    madeAt: Date;
    text: string;
    given: 'with the report' | 'in answer to a police request';
  }[];
  continuity: CaseContinuityEntry[];
  subject: {
    name: string | null;
    reference: string;
    description: Record<string, unknown> | null;
    juvenile: boolean;
  } | null;
  flags: { state: string; total_pence: string; legal_consequence: string; created_at: Date }[];
  exclusions: {
    id: string;
    store_names: string[] | null;
    area: string | null;
    served_at: Date;
    served_by_name: string;
    service_method: string;
    acknowledgement: string | null;
    expires_at: Date;
  }[];
  rules: {
    key: string;
    jurisdiction: string;
    effective_from: string | null;
    key_date: string;
    source: string;
    value: unknown;
  }[];
}

/** The worker's side of evidence packs (system transactions: the job carries ids only). */
@Injectable()
export class PackBuildRepository {
  constructor(private readonly db: SystemDb) {}

  /**
   * queued|building -> building, once per delivery; null when the pack is already finished (a
   * redelivered job then does nothing). Brings the case's chain up to date and records the build.
   */
  start(packId: string): Promise<PackSource | null> {
    return this.db.run(async (em) => {
      const pack = await em
        .createQueryBuilder(EvidencePack, 'p')
        .setLock('pessimistic_write')
        .where('p.id = :id', { id: packId })
        .getOne();
      if (!pack || ![PackStatus.Queued, PackStatus.Building].includes(pack.status)) {
        return null;
      }
      await em.update(
        EvidencePack,
        { id: packId },
        { status: PackStatus.Building, stage: 'planning', error: null },
      );
      await syncEvidenceContinuity(em, pack.partnershipId, pack.caseId);
      const requester = await em.findOneBy(User, { id: pack.requestedBy });
      await appendContinuity(em, pack.partnershipId, pack.caseId, [
        {
          actorId: pack.requestedBy,
          actorKind: requester ? 'user' : 'system',
          action: 'pack_checkpoint',
          objectType: 'evidence_pack',
          objectId: pack.id,
          details: { note: 'chain head signed with the pack key at this entry' },
        },
      ]);
      return this.load(em, { ...pack, status: PackStatus.Building });
    });
  }

  private async load(em: EntityManager, pack: EvidencePack): Promise<PackSource> {
    const found = await em.findOneByOrFail(PoliceCase, { id: pack.caseId });
    const partnership = await em.findOneByOrFail(Partnership, { id: pack.partnershipId });
    const officer = found.assignedOfficerId
      ? await em.findOneBy(User, { id: found.assignedOfficerId })
      : null;
    const incidentIds: { incident_id: string }[] = await em.query(
      `SELECT incident_id FROM case_incidents WHERE case_id = $1`,
      [found.id],
    );
    const ids = incidentIds.map((r) => r.incident_id);
    const incidents = ids.length
      ? (await em.find(Incident, { where: ids.map((id) => ({ id })) })).sort(
          (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : 1),
        )
      : [];
    const storeRows = incidents.length
      ? await em.find(Store, {
          where: [...new Set(incidents.map((i) => i.storeId))].map((id) => ({ id })),
          relations: { business: true },
        })
      : [];
    const statements = ids.length
      ? await em.find(WitnessStatement, {
          where: ids.map((incidentId) => ({ incidentId })),
          order: { createdAt: 'ASC', version: 'ASC' },
        })
      : [];
    const exhibits = ids.length
      ? await em.find(Exhibit, {
          where: ids.map((incidentId) => ({ incidentId })),
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const filedImpacts = ids.length
      ? await em.find(ImpactStatement, { where: ids.map((incidentId) => ({ incidentId })) })
      : [];
    const answeredImpacts = await em.find(CaseEvidenceRequest, {
      where: {
        caseId: found.id,
        kind: EvidenceRequestKind.ImpactStatement,
        status: EvidenceRequestStatus.Answered,
      },
      order: { answeredAt: 'ASC' },
    });
    const continuity = await em.find(CaseContinuityEntry, {
      where: { caseId: found.id },
      order: { seq: 'ASC' },
    });
    const has = async (table: string) =>
      ((await em.query(`SELECT to_regclass($1) AS t`, [table])) as { t: string | null }[])[0].t !== null;
    let subject: PackSource['subject'] = null;
    let flags: PackSource['flags'] = [];
    let exclusions: PackSource['exclusions'] = [];
    if (found.subjectId && (await has('subjects'))) {
      const rows: NonNullable<PackSource['subject']>[] = await em.query(
        `SELECT name, reference, description, juvenile FROM subjects WHERE id = $1`,
        [found.subjectId],
      );
      subject = rows[0] ?? null;
      if (await has('serial_flags')) {
        flags = await em.query(
          `SELECT state, total_pence, legal_consequence, created_at FROM serial_flags WHERE subject_id = $1 ORDER BY created_at`,
          [found.subjectId],
        );
      }
      if (await has('exclusion_notices')) {
        exclusions = await em.query(
          `SELECT n.id, (SELECT array_agg(s.name ORDER BY s.name) FROM stores s WHERE s.id = ANY(n.store_ids)) AS store_names,
                  n.area, n.served_at, n.served_by_name, n.service_method, n.acknowledgement, n.expires_at
             FROM exclusion_notices n WHERE n.subject_id = $1 ORDER BY n.served_at`,
          [found.subjectId],
        );
      }
    }
    const rules = (await has('legal_rules'))
      ? await em.query(
          `SELECT key, jurisdiction, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, key_date, source, value
             FROM legal_rules WHERE jurisdiction = $1 ORDER BY key`,
          [partnership.jurisdiction],
        )
      : [];
    return {
      pack,
      case: found,
      partnership,
      officerName: officer?.displayName ?? null,
      incidents,
      stores: new Map(storeRows.map((s) => [s.id, { name: s.name, business: s.business?.name ?? s.name }])),
      statements,
      exhibits,
      impactStatements: [
        ...filedImpacts.map((s) => ({
          id: s.id,
          kind: s.kind,
          madeBy: s.madeBy,
          madeAt: s.createdAt,
          text: s.text,
          given: 'with the report' as const,
        })),
        ...answeredImpacts.map((r) => ({
          id: r.id,
          kind: r.impactKind === 'vps' ? ('vps' as const) : ('isb' as const),
          madeBy: r.impactMadeBy ?? 'not recorded',
          madeAt: r.answeredAt ?? r.updatedAt,
          text: r.answerText ?? '',
          given: 'in answer to a police request' as const,
        })),
      ].sort((a, b) => a.madeAt.getTime() - b.madeAt.getTime()),
      continuity,
      subject,
      flags,
      exclusions,
      rules,
    };
  }

  progress(packId: string, done: number, total: number, stage: string): Promise<void> {
    return this.db.run(async (em) => {
      await em.update(
        EvidencePack,
        { id: packId, status: PackStatus.Building },
        { progressDone: done, progressTotal: total, stage },
      );
    });
  }

  finish(
    packId: string,
    r: {
      sha256: string;
      sizeBytes: number;
      fileCount: number;
      storagePath: string;
      checkpointSeq: number;
      checkpointHash: string;
      keyFingerprint: string;
      builderMaxRssBytes: number;
      buildMs: number;
      ttlHours: number;
    },
  ): Promise<void> {
    return this.db.run(async (em) => {
      const pack = await em.findOneByOrFail(EvidencePack, { id: packId });
      const { affected } = await em
        .createQueryBuilder()
        .update(EvidencePack)
        .set({
          status: PackStatus.Ready,
          sha256: r.sha256,
          sizeBytes: String(r.sizeBytes),
          fileCount: r.fileCount,
          storagePath: r.storagePath,
          checkpointSeq: r.checkpointSeq,
          checkpointHash: r.checkpointHash,
          keyFingerprint: r.keyFingerprint,
          builderMaxRssBytes: String(r.builderMaxRssBytes),
          buildMs: r.buildMs,
          stage: 'ready',
          progressDone: () => 'progress_total',
          readyAt: () => 'now()',
          expiresAt: () => `now() + make_interval(hours => ${Math.floor(r.ttlHours)})`,
        })
        .where('id = :id AND status = :s', { id: packId, s: PackStatus.Building })
        .execute();
      if (affected) {
        await appendContinuity(em, pack.partnershipId, pack.caseId, [
          {
            actorId: pack.requestedBy,
            actorKind: 'system',
            action: 'pack_built',
            objectType: 'evidence_pack',
            objectId: pack.id,
            sha256: r.sha256,
            details: {
              files: r.fileCount,
              size_bytes: r.sizeBytes,
              checkpoint_seq: r.checkpointSeq,
              key_fingerprint: r.keyFingerprint,
            },
          },
        ]);
      }
    });
  }

  fail(packId: string, message: string): Promise<void> {
    return this.db.run(async (em) => {
      await em.update(
        EvidencePack,
        { id: packId, status: PackStatus.Building },
        { status: PackStatus.Failed, error: message.slice(0, 2000), stage: 'failed' },
      );
    });
  }

  /** Marks ready packs past their expiry as expired; returns their files for deletion. */
  expire(limit = 200): Promise<string[]> {
    return this.db.run(async (em) => {
      // an UPDATE's query() answers [rows, count], not rows (so, before, no file was ever deleted)
      const [rows]: [{ storage_path: string | null }[], number] = await em.query(
        `UPDATE evidence_packs SET status = 'expired', updated_at = now()
          WHERE id IN (SELECT id FROM evidence_packs WHERE status = 'ready' AND expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING storage_path`,
        [limit],
      );
      return rows.map((r) => r.storage_path).filter((p): p is string => !!p);
    });
  }
}
