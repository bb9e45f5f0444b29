import { ApiProperty } from '@nestjs/swagger';
import type { Exhibit } from '@app/incidents';

export class ExhibitResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: String })
  incidentId: string;
  @ApiProperty({ type: String })
  reference: string;
  @ApiProperty({ type: String })
  producerName: string;
  @ApiProperty({ type: String })
  sha256: string;
  @ApiProperty({ type: Number })
  sizeBytes: number;
  @ApiProperty({ type: String })
  mediaType: string;
  @ApiProperty({ type: String, nullable: true })
  originalName: string | null;
  @ApiProperty({ type: String, nullable: true })
  capturedAt: string | null;
  @ApiProperty({ type: Number, nullable: true })
  clockOffsetSeconds: number | null;
  @ApiProperty({ type: String })
  uploadedBy: string;
  @ApiProperty({ type: String })
  uploadedByKind: string;
  @ApiProperty({ type: String })
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
