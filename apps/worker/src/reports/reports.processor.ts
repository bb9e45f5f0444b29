import { Injectable } from '@nestjs/common';
import { Role } from '@app/auth';
import { reportRelativePath } from '@app/evidence';
import { type Measures, STAFF_OFFENCE_TYPES, StatsRepository } from '@app/stats';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import { ObjectStorage } from '@app/storage';
import type { HandlerMap, QueueProcessor } from '../job-handler';
import { renderReport } from './report-pdf';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Builds quarterly partnership reports from the rollups into the object storage. The file name is
 * the report id, written whole then recorded, so a redelivered job rewrites the same bytes.
 */
@Injectable()
export class ReportsProcessor implements QueueProcessor<QueueName.Reports> {
  readonly queue = QueueName.Reports;

  constructor(
    private readonly stats: StatsRepository,
    private readonly storage: ObjectStorage,
  ) {}

  readonly handlers = {
    [JobName.BuildPartnershipReport]: async ({ partnershipId, reportId }) => {
      const report = await this.stats.reportForBuild(partnershipId, reportId);
      if (!report) {
        return { built: false };
      }
      const [partnership] = await this.stats.partnerships([partnershipId]);
      const m0 = (report.quarter - 1) * 3;
      const from = `${report.year}-${String(m0 + 1).padStart(2, '0')}-01`;
      const to = new Date(Date.UTC(report.year, m0 + 3, 0)).toISOString().slice(0, 10);
      const atoms = await this.stats.atoms({ partnershipIds: [partnershipId], from, to, grain: 'month' });
      const totals: Measures = {};
      let theftValuePence = 0n;
      for (const a of atoms) {
        for (const [c, v] of Object.entries(a.m)) {
          totals[c] = (totals[c] ?? 0) + v;
        }
        theftValuePence += a.money.theft_value_pence ?? 0n;
      }
      const get = (c: string) => totals[c] ?? 0;
      const scope = {
        partnershipId,
        actorId: report.requestedBy,
        actorKind: 'user' as const,
        role: Role.Coordinator,
        storeId: null,
        requestId: `report-${reportId}`,
      };
      const stores = await this.stats.storeAtoms(scope, from, to);
      const repeat = await this.stats.repeatOffenders(partnershipId, from, to);
      const pdf = await renderReport({
        partnershipName: partnership?.name ?? 'Partnership',
        policeForceArea: partnership?.policeForceArea ?? '',
        year: report.year,
        quarter: report.quarter,
        from,
        to,
        totals: new Proxy(totals, { get: (t, c: string) => t[c] ?? 0 }),
        theftValuePence,
        months: [0, 1, 2].map((i) => {
          const period = `${report.year}-${String(m0 + i + 1).padStart(2, '0')}-01`;
          const m = atoms.find((a) => a.period === period)?.m ?? {};
          return {
            label: `${MONTHS[m0 + i]} ${report.year}`,
            incidents: m.incidents ?? 0,
            violent: m.violent ?? 0,
            againstStaff: m.against_staff ?? 0,
          };
        }),
        stores: stores.map((s) => ({ name: s.storeName, incidents: s.m.incidents, violent: s.m.violent })),
        staffOffences: STAFF_OFFENCE_TYPES.map((t) => ({
          label: t.replace(/_/g, ' '),
          count: get(`type_${t}`),
        })),
        police: {
          reported: get('reported'),
          attended: get('attended'),
          incidents: get('incidents'),
          violent: get('violent'),
          violentReported: get('violent_reported'),
        },
        repeat,
      });
      const rel = reportRelativePath(partnershipId, reportId);
      const { sha256 } = await this.storage.put(rel, pdf, { contentType: 'application/pdf' });
      await this.stats.finishReport(partnershipId, reportId, { filePath: rel, sha256, bytes: pdf.length });
      log().info({ partnershipId, reportId, bytes: pdf.length }, 'built quarterly partnership report');
      return { built: true, bytes: pdf.length };
    },
  } satisfies HandlerMap<QueueName.Reports>;
}
