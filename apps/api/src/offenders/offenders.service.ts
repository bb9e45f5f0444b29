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
import { EvidenceStore, tooLarge } from '../evidence/evidence-store';
import { notFound } from './not-found';

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
    if (!(await this.subjects.subjectExists(scope, subjectId))) {
      notFound('Subject');
    }
    const hash = this.check(sha256, declaredLength);
    const added = await this.store.ingest(
      scope.partnershipId,
      { body, sha256: hash, withViewingCopy: true },
      (received) => {
        if (!received.mediaType.startsWith('image/')) {
          throw new DomainError(
            ErrorCode.UnsupportedMediaType,
            'A subject image must be a JPEG, PNG or HEIC image',
          );
        }
      },
      (content, place) => this.subjects.addImage(scope, subjectId, content, place),
    );
    return added ?? notFound('Subject');
  }

  /** The metadata-stripped viewing copy of an image (never the master), logged as consulted. */
  async viewImage(scope: TenantScope, imageId: string): Promise<{ image: SubjectImage; path: string }> {
    const image = (await this.subjects.viewImage(scope, imageId, this.clock.now())) ?? notFound('Image');
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
    if (!(await this.exclusions.noticeExists(scope, noticeId))) {
      notFound('Exclusion notice');
    }
    const hash = this.check(sha256, declaredLength);
    const notice = await this.store.ingest(
      scope.partnershipId,
      { body, sha256: hash, withViewingCopy: false },
      () => undefined,
      (content, place) => this.exclusions.attachProof(scope, noticeId, content, place),
    );
    return notice ?? notFound('Exclusion notice');
  }
}
