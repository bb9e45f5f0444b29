import type { EntityManager } from 'typeorm';
import { EvidenceDerivative, EvidenceMaster } from './entities/evidence.entity';

export interface DerivativeContent {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
}

/** What a derivative is: the metadata-free viewing copy, or its thumbnail. */
export type DerivativeKind = 'metadata_stripped' | 'thumbnail';

/** A verified upload: the master and, for images, its metadata-free viewing copy and thumbnail. */
export interface StoredContent {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  derivative: DerivativeContent | null;
  thumbnail?: DerivativeContent | null;
}

/**
 * Records a master (and its viewing copy and thumbnail) in the caller's transaction: exhibits, subject images
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
  const kinds: [DerivativeKind, DerivativeContent | null | undefined][] = [
    ['metadata_stripped', c.derivative],
    ['thumbnail', c.thumbnail],
  ];
  const rows = kinds.flatMap(([kind, d]) =>
    d
      ? [
          {
            partnershipId,
            parentSha256: c.sha256,
            kind,
            sha256: d.sha256,
            sizeBytes: String(d.sizeBytes),
            mediaType: d.mediaType,
          },
        ]
      : [],
  );
  if (rows.length) {
    // one statement for both copies
    await em.createQueryBuilder().insert().into(EvidenceDerivative).values(rows).orIgnore().execute();
  }
}
