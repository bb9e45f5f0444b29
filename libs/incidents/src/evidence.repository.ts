import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, TenantDb } from '@app/database';
import { EvidenceDerivative, Exhibit } from './entities/evidence.entity';
import { type DerivativeContent, type DerivativeKind, recordContent } from './evidence-content';
import { Incident } from './entities/incident.entity';

export interface NewExhibit {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  producerName: string;
  /** initials for the reference, e.g. "JS" gives JS/1, JS/2 … */
  producerInitials: string;
  originalName: string | null;
  capturedAt: Date | null;
  clockOffsetSeconds: number | null;
  derivative: DerivativeContent | null;
  thumbnail?: DerivativeContent | null;
}

const OBJECT = 'exhibit';

/** Evidence rows: masters and derivatives are insert-only for the app role, as are exhibits. */
@Injectable()
export class EvidenceRepository {
  constructor(private readonly db: TenantDb) {}

  /**
   * Records an exhibit for a verified master. Idempotent by content: the same file on the same
   * report returns the existing exhibit. `place` puts the files at their content address as the
   * last step, so a failure there rolls the rows back; a file never has rows without being there.
   */
  addExhibit(
    scope: TenantScope,
    incidentId: string,
    data: NewExhibit,
    place: () => Promise<void>,
  ): Promise<{ exhibit: Exhibit; created: boolean } | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      if (!incident) {
        return null;
      }
      // one exhibit numbering at a time per report
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`exhibits:${incidentId}`]);
      const existing = await em.findOneBy(Exhibit, { incidentId, sha256: data.sha256 });
      if (existing) {
        await place();
        await appendAudit(em, scope, {
          action: AccessAction.Consult,
          objectType: OBJECT,
          objectId: existing.id,
          justification: 'the same file was uploaded again',
        });
        return { exhibit: existing, created: false };
      }
      const [{ n }]: { n: number }[] = await em.query(
        `SELECT count(*)::int AS n FROM exhibits WHERE incident_id = $1 AND reference LIKE $2`,
        [incidentId, `${data.producerInitials}/%`],
      );
      await recordContent(em, scope.partnershipId, data);
      const { identifiers } = await em.insert(Exhibit, {
        partnershipId: scope.partnershipId,
        incidentId,
        sha256: data.sha256,
        reference: `${data.producerInitials}/${n + 1}`,
        producerName: data.producerName,
        originalName: data.originalName,
        mediaType: data.mediaType,
        sizeBytes: String(data.sizeBytes),
        capturedAt: data.capturedAt,
        clockOffsetSeconds: data.clockOffsetSeconds,
        uploadedBy: scope.actorId,
        uploadedByKind: scope.actorKind,
      });
      const id = identifiers[0].id as string;
      await appendAudit(em, scope, { action: AccessAction.Collect, objectType: OBJECT, objectId: id });
      await place();
      return { exhibit: await em.findOneByOrFail(Exhibit, { id }), created: true };
    });
  }

  list(scope: TenantScope, incidentId: string): Promise<Exhibit[] | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      if (!incident) {
        return null;
      }
      const rows = await em.find(Exhibit, { where: { incidentId }, order: { createdAt: 'ASC' } });
      await appendAudit(
        em,
        scope,
        rows.map((r) => ({ action: AccessAction.Consult, objectType: OBJECT, objectId: r.id })),
      );
      return rows;
    });
  }

  /**
   * An exhibit and one of its derivatives, logged as consulted. A thumbnail asked of an exhibit
   * uploaded before thumbnails existed is its viewing copy (as free of metadata, only larger).
   */
  view(
    scope: TenantScope,
    incidentId: string,
    exhibitId: string,
    kind: DerivativeKind,
  ): Promise<{ exhibit: Exhibit; derivative: EvidenceDerivative | null } | null> {
    return this.db.run(scope, async (em) => {
      const incident = await em.findOneBy(Incident, { id: incidentId, partnershipId: scope.partnershipId });
      const exhibit = await em.findOneBy(Exhibit, {
        id: exhibitId,
        incidentId,
        partnershipId: scope.partnershipId,
      });
      if (!incident || !exhibit) {
        return null;
      }
      const copies = await em.find(EvidenceDerivative, {
        where: {
          partnershipId: scope.partnershipId,
          parentSha256: exhibit.sha256,
          kind: In([kind, 'metadata_stripped']),
        },
      });
      const derivative = copies.find((c) => c.kind === kind) ?? copies[0] ?? null;
      await appendAudit(em, scope, {
        action: AccessAction.Consult,
        objectType: OBJECT,
        objectId: exhibit.id,
      });
      return { exhibit, derivative };
    });
  }
}
