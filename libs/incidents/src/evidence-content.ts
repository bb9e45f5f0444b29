import type { EntityManager } from 'typeorm';
import { EvidenceDerivative, EvidenceMaster } from './entities/evidence.entity';

/** A verified upload: the master and, for images, its metadata-free viewing copy. */
export interface StoredContent {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  derivative: { sha256: string; sizeBytes: number; mediaType: string } | null;
}

/**
 * Records a master (and its viewing copy) in the caller's transaction: exhibits, subject images
 * and proofs of service all point at the same content-addressed rows, so a repeat is a no-op.
 */
export async function recordContent(
  em: EntityManager,
  partnershipId: string,
  c: Omit<StoredContent, 'derivative'> & Partial<Pick<StoredContent, 'derivative'>>,
): Promise<void> {
  await em
    .createQueryBuilder()
    .insert()
    .into(EvidenceMaster)
    .values({ partnershipId, sha256: c.sha256, sizeBytes: String(c.sizeBytes), mediaType: c.mediaType })
    .orIgnore()
    .execute();
  if (c.derivative) {
    await em
      .createQueryBuilder()
      .insert()
      .into(EvidenceDerivative)
      .values({
        partnershipId,
        parentSha256: c.sha256,
        kind: 'metadata_stripped',
        sha256: c.derivative.sha256,
        sizeBytes: String(c.derivative.sizeBytes),
        mediaType: c.derivative.mediaType,
      })
      .orIgnore()
      .execute();
  }
}
