import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { TenantScope } from '@app/auth';
import { AppConfig } from '@app/config';
import { Clock } from '@app/database';
import {
  type ExclusionNotice,
  ExclusionRepository,
  type SubjectImage,
  SubjectRepository,
} from '@app/offenders';
import { DomainError, ErrorCode } from '@app/errors';
import { type Derivative, EvidenceStore, type Received, tooLarge } from '../evidence/evidence-store';

const SHA256 = /^[0-9a-f]{64}$/;

/** Image and proof-of-service uploads, stored exactly like evidence (one mechanism, reused). */
@Injectable()
export class OffenderFilesService {
  constructor(
    private readonly subjects: SubjectRepository,
    private readonly exclusions: ExclusionRepository,
    private readonly store: EvidenceStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private check(sha256: string | undefined, declaredLength: number | null): string {
    const hash = (sha256 ?? '').toLowerCase();
    if (!SHA256.test(hash)) {
      throw DomainError.invalid('x-content-sha256', 'must be the 64 hex digits of the file’s SHA-256');
    }
    const max = this.config.storage.evidenceMaxBytes;
    if (declaredLength !== null && declaredLength > max) {
      throw tooLarge(max);
    }
    return hash;
  }

  async addImage(
    scope: TenantScope,
    subjectId: string,
    sha256: string | undefined,
    body: Readable,
    declaredLength: number | null,
  ): Promise<{ image: SubjectImage; created: boolean }> {
    await this.subjects.assertSubject(scope, subjectId);
    const hash = this.check(sha256, declaredLength);
    let received: Received | undefined;
    let derivative: Derivative | null = null;
    try {
      received = await this.store.receive(body, hash, this.config.storage.evidenceMaxBytes);
      if (!received.mediaType.startsWith('image/')) {
        throw new DomainError(
          ErrorCode.UnsupportedMediaType,
          'A subject image must be a JPEG, PNG or HEIC image',
        );
      }
      derivative = await this.store.derive(received);
      const r = received;
      const d = derivative;
      return await this.subjects.addImage(
        scope,
        subjectId,
        {
          sha256: r.sha256,
          sizeBytes: r.size,
          mediaType: r.mediaType,
          derivative: d ? { sha256: d.sha256, sizeBytes: d.size, mediaType: d.mediaType } : null,
        },
        async () => {
          await this.store.place(r.tmpPath, this.store.masterPath(scope.partnershipId, r.sha256));
          if (d) {
            await this.store.place(d.tmpPath, this.store.derivativePath(scope.partnershipId, d.sha256));
          }
        },
      );
    } finally {
      await this.store.discard(received?.tmpPath);
      await this.store.discard(derivative?.tmpPath ?? undefined);
    }
  }

  /** The metadata-stripped viewing copy of an image (never the master), logged as consulted. */
  async viewImage(scope: TenantScope, imageId: string): Promise<{ image: SubjectImage; path: string }> {
    const image = await this.subjects.viewImage(scope, imageId, this.clock.now());
    if (!image.viewSha256) {
      throw new DomainError(ErrorCode.Conflict, 'There is no metadata-free viewing copy of this image');
    }
    return { image, path: this.store.derivativePath(scope.partnershipId, image.viewSha256) };
  }

  open(path: string) {
    return this.store.open(path);
  }

  async attachProof(
    scope: TenantScope,
    noticeId: string,
    sha256: string | undefined,
    body: Readable,
    declaredLength: number | null,
  ): Promise<ExclusionNotice> {
    await this.exclusions.assertNotice(scope, noticeId);
    const hash = this.check(sha256, declaredLength);
    let received: Received | undefined;
    try {
      received = await this.store.receive(body, hash, this.config.storage.evidenceMaxBytes);
      const r = received;
      return await this.exclusions.attachProof(
        scope,
        noticeId,
        { sha256: r.sha256, sizeBytes: r.size, mediaType: r.mediaType },
        () => this.store.place(r.tmpPath, this.store.masterPath(scope.partnershipId, r.sha256)),
      );
    } finally {
      await this.store.discard(received?.tmpPath);
    }
  }
}
