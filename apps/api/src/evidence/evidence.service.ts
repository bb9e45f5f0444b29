import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { type TenantScope } from '@app/auth';
import { CaseRepository } from '@app/cases';
import { AppConfig } from '@app/config';
import {
  type DerivativeKind,
  type EvidenceDerivative,
  EvidenceRepository,
  type Exhibit,
  IncidentAccess,
} from '@app/incidents';
import { DomainError, ErrorCode } from '@app/errors';
import { EvidenceStore, tooLarge } from './evidence-store';

/** Upload metadata, from headers (the body is the raw file). */
export interface UploadMeta {
  producerName: string;
  originalName: string | null;
  capturedAt: Date | null;
  clockOffsetSeconds: number | null;
}

/** Evidence on reports: verified, content-addressed masters and metadata-free viewing copies. */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly access: IncidentAccess,
    private readonly store: EvidenceStore,
    private readonly config: AppConfig,
    private readonly cases: CaseRepository,
  ) {}

  /**
   * Checks access before reading a byte, then streams, verifies and records the exhibit. Temporary
   * files are always removed; masters appear only once their rows are written.
   */
  async upload(
    scope: TenantScope,
    incidentId: string,
    sha256: string,
    meta: UploadMeta,
    body: Readable,
    declaredLength: number | null,
  ): Promise<{ exhibit: Exhibit; created: boolean }> {
    await this.access.check(scope, incidentId);
    const max = this.config.storage.evidenceMaxBytes;
    if (declaredLength !== null && declaredLength > max) {
      throw tooLarge(max);
    }
    const result = await this.store.ingest(
      scope.partnershipId,
      { body, sha256, declaredName: meta.originalName, withViewingCopy: true },
      () => undefined,
      (content, place) =>
        this.evidence.addExhibit(
          scope,
          incidentId,
          {
            ...content,
            producerName: meta.producerName,
            producerInitials: initials(meta.producerName),
            originalName: meta.originalName,
            capturedAt: meta.capturedAt,
            clockOffsetSeconds: meta.clockOffsetSeconds,
          },
          place,
        ),
    );
    return result ?? notFound('Report');
  }

  async list(scope: TenantScope, incidentId: string): Promise<Exhibit[]> {
    await this.access.check(scope, incidentId);
    return (await this.evidence.list(scope, incidentId)) ?? notFound('Report');
  }

  /**
   * The metadata-free viewing copy or its thumbnail (never the master); the view is in the access
   * log and enters the continuity chain of every case holding the report.
   */
  async view(
    scope: TenantScope,
    incidentId: string,
    exhibitId: string,
    kind: DerivativeKind,
  ): Promise<{ exhibit: Exhibit; derivative: EvidenceDerivative; path: string }> {
    await this.access.check(scope, incidentId, 'Exhibit');
    const found = (await this.evidence.view(scope, incidentId, exhibitId, kind)) ?? notFound('Exhibit');
    if (!found.derivative) {
      throw new DomainError(
        ErrorCode.Conflict,
        `There is no metadata-free viewing copy for ${found.exhibit.mediaType} yet; ask the coordinator for an export`,
      );
    }
    await this.cases.exhibitViewed(scope, found.exhibit, found.derivative.kind);
    return {
      exhibit: found.exhibit,
      derivative: found.derivative,
      path: this.store.derivativePath(scope.partnershipId, found.derivative.sha256),
    };
  }

  open(path: string) {
    return this.store.open(path);
  }
}

/** "Jo Smith" gives JS; "Mary-Ann O'Neil" gives MAO. */
export function initials(name: string): string {
  const letters = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase())
    .join('')
    .slice(0, 4);
  if (!letters) {
    throw DomainError.invalid('x-evidence-producer', 'must contain a name with letters');
  }
  return letters;
}

function notFound(what: string): never {
  throw DomainError.notFound(what);
}
