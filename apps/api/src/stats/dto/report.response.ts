import type { PartnershipReport } from '@app/stats';

export class ReportResponse {
  id: string;
  year: number;
  quarter: number;
  status: string;
  bytes: number | null;
  sha256: string | null;
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
