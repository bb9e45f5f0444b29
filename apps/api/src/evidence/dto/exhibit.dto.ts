import type { Exhibit } from '@app/incidents';

export class ExhibitResponse {
  id: string;
  incidentId: string;
  reference: string;
  producerName: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  originalName: string | null;
  capturedAt: string | null;
  clockOffsetSeconds: number | null;
  uploadedBy: string;
  uploadedByKind: string;
  createdAt: string;

  static from(e: Exhibit): ExhibitResponse {
    return {
      id: e.id,
      incidentId: e.incidentId,
      reference: e.reference,
      producerName: e.producerName,
      sha256: e.sha256,
      sizeBytes: Number(e.sizeBytes),
      mediaType: e.mediaType,
      originalName: e.originalName,
      capturedAt: e.capturedAt?.toISOString() ?? null,
      clockOffsetSeconds: e.clockOffsetSeconds,
      uploadedBy: e.uploadedBy,
      uploadedByKind: e.uploadedByKind,
      createdAt: e.createdAt.toISOString(),
    };
  }
}
