import { ApiProperty } from '@nestjs/swagger';
import type { PartnershipReport } from '@app/stats';

export class ReportResponse {
  @ApiProperty({ type: String })
  id: string;
  @ApiProperty({ type: Number })
  year: number;
  @ApiProperty({ type: Number })
  quarter: number;
  @ApiProperty({ type: String })
  status: string;
  @ApiProperty({ type: Number, nullable: true })
  bytes: number | null;
  @ApiProperty({ type: String, nullable: true })
  sha256: string | null;
  @ApiProperty({ type: String })
  createdAt: string;

  static from(r: PartnershipReport): ReportResponse {
    return Object.assign(new ReportResponse(), {
      id: r.id,
      year: r.year,
      quarter: r.quarter,
      status: r.status,
      bytes: r.bytes,
      sha256: r.sha256,
      createdAt: r.createdAt.toISOString(),
    });
  }
}
