import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { TenantScope } from '@app/auth';
import { AccessAction, appendAudit, appendOutbox, namedRows, SystemDb, TenantDb } from '@app/database';
import {
  AnalystApiKey,
  Organisation,
  type OrganisationKind,
  OrganisationMember,
  OrganisationShare,
  PartnershipReport,
  ReportStatus,
  ALL_DIMENSION,
  STATS_MEASURES,
  STATS_TRIGGERS,
  STATS_TYPES,
  triggerDimension,
  typeDimension,
} from './entities/stats.entity';
import { type IncidentTrigger, type IncidentType } from '@app/incidents';
import { JobName } from '@app/queue';

/** A vector of rollup counts, keyed by column name (a count of reports stays far below 2^53). */
export type Measures = Record<string, number>;
/** Rollup sums of money in pence, keyed by column name: exact, since they pass 2^53. */
export type Money = Record<string, bigint>;

/** One (partnership, period) cell of the rollups: the atom every published figure sums. */
export interface StatsAtom {
  partnershipId: string;
  /** YYYY-MM-DD: a London day, or the first day of a month */
  period: string;
  m: Measures;
  money: Money;
}

export interface StatsQuery {
  partnershipIds: string[];
  /** first London day, inclusive */
  from: string;
  /** last London day, inclusive */
  to: string;
  grain: 'day' | 'month';
  type?: IncidentType;
  trigger?: IncidentTrigger;
}

export interface PartnershipInfo {
  id: string;
  slug: string;
  name: string;
  policeForceArea: string;
  region: string;
}

export interface StoreAtom {
  storeId: string;
  storeName: string;
  m: Measures;
  money: Money;
}

const COUNTS = STATS_MEASURES.filter((m) => !m.money).map((m) => m.column);
const MONEY = STATS_MEASURES.filter((m) => m.money).map((m) => m.column);

/*
 * The wide atom queries return a row's counts packed into one text ('12,0,3,…') and its money as
 * text (pg would round a float, JS a number), read as arrays (namedRows). pg decodes every field
 * into a string of its own, and 38 count fields a row were a large share of a 360-row dashboard.
 */
const packed = (column: (c: string) => string) => `concat_ws(',', ${COUNTS.map(column).join(', ')})`;
const SUMS = [packed((c) => `sum(${c})`), ...MONEY.map((c) => `coalesce(sum(${c}), 0)::text AS ${c}`)].join(
  ', ',
);
/** The same columns of one row. */
const ONE_ROW = [packed((c) => c), ...MONEY.map((c) => `${c}::text AS ${c}`)].join(', ');

/**
 * Counts as an object literal of one fixed shape, generated from the column list: setting 38
 * computed keys one by one turns each object into a slow dictionary, 12× the time to build (and
 * more garbage and slower reads after).
 */
const countsObject = new Function('v', `return { ${COUNTS.map((c, i) => `${c}: v[${i}]`).join(', ')} };`) as (
  v: number[],
) => Measures;
const scratch: number[] = new Array<number>(COUNTS.length).fill(0);

/** The measures of a row read as an array, from column `from` on: the packed counts, then MONEY. */
function toMeasures(row: unknown[], from: number): { m: Measures; money: Money } {
  const counts = row[from] as string;
  let k = 0;
  let n = 0;
  let sign = 1;
  for (let i = 0; i <= counts.length; i++) {
    const c = i < counts.length ? counts.charCodeAt(i) : 44; // ','
    if (c === 44) {
      scratch[k++] = sign * n;
      n = 0;
      sign = 1;
    } else if (c === 45) {
      sign = -1; // '-': a cell left negative by a bad fold is shown, not hidden
    } else {
      n = n * 10 + c - 48;
    }
  }
  const money: Money = {};
  for (let i = 0; i < MONEY.length; i++) {
    money[MONEY[i]] = BigInt(row[from + 1 + i] as string);
  }
  return { m: countsObject(scratch), money };
}

/** A new key's secret: shown once, only its SHA-256 is kept. */
export const newApiKeySecret = () => `rch_stats_${randomBytes(24).toString('base64url')}`;

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Reads the statistics rollups; manages organisations, shares, analyst keys and reports. */
@Injectable()
export class StatsRepository {
  constructor(
    private readonly db: TenantDb,
    private readonly system: SystemDb,
  ) {}

  /**
   * Rollup atoms per partnership and period. Only the ids given are read: callers decide what a
   * viewer may see. Runs as system because an analyst's partnerships span tenants.
   */
  atoms(q: StatsQuery): Promise<StatsAtom[]> {
    if (!q.partnershipIds.length) {
      return Promise.resolve([]);
    }
    const col = q.grain === 'month' ? 'month' : 'day';
    const params: unknown[] = [q.partnershipIds, q.from, q.to];
    let where = `partnership_id = ANY($1::uuid[]) AND ${col} >= $2::date AND ${col} <= $3::date`;
    if (q.grain === 'month' && !(q.type && q.trigger)) {
      // one row per partnership-month: the dimension of the filter, or every report
      params.push(q.type ? typeDimension(q.type) : q.trigger ? triggerDimension(q.trigger) : ALL_DIMENSION);
      return this.read(
        `SELECT partnership_id, month::text AS period, ${ONE_ROW}
           FROM stats_month_dims WHERE ${where} AND dimension = $4 ORDER BY month, partnership_id`,
        params,
      );
    }
    // by day, or a type and a trigger together: sum the cells of every type/trigger combination
    const table = q.grain === 'month' ? 'stats_months' : 'stats_days';
    if (q.type) {
      params.push(1 << STATS_TYPES.indexOf(q.type));
      where += ` AND (types_mask & $${params.length}) <> 0`;
    }
    if (q.trigger) {
      params.push(1 << STATS_TRIGGERS.indexOf(q.trigger));
      where += ` AND (triggers_mask & $${params.length}) <> 0`;
    }
    return this.read(
      `SELECT partnership_id, ${col}::text AS period, ${SUMS}
         FROM ${table} WHERE ${where}
        GROUP BY partnership_id, ${col} ORDER BY ${col}, partnership_id`,
      params,
    );
  }

  private read(sql: string, params: unknown[]): Promise<StatsAtom[]> {
    return this.system.run(async (em) =>
      (await namedRows(em, sql, params)).map((r) => ({
        partnershipId: r[0] as string,
        period: r[1] as string,
        ...toMeasures(r, 2),
      })),
    );
  }

  /** Per-store totals for one partnership (its own staff only: store identities never leave it). */
  storeAtoms(scope: TenantScope, from: string, to: string): Promise<StoreAtom[]> {
    return this.db.run(scope, async (em) =>
      (
        await namedRows(
          em,
          `SELECT s.id AS store_id, s.name AS store_name, ${SUMS}
             FROM stats_store_days d JOIN stores s ON s.id = d.store_id
            WHERE d.partnership_id = $1 AND d.day >= $2::date AND d.day <= $3::date
            GROUP BY s.id, s.name ORDER BY sum(d.incidents) DESC, s.name`,
          [scope.partnershipId, from, to],
        )
      ).map((r) => ({
        storeId: r[0] as string,
        storeName: r[1] as string,
        ...toMeasures(r, 2),
      })),
    );
  }

  /** Partnerships among `ids`, with the attributes filters use. */
  partnerships(ids: string[]): Promise<PartnershipInfo[]> {
    return this.system.run(
      async (em) =>
        (await em.query(
          `SELECT id, slug, name, police_force_area AS "policeForceArea", region
             FROM partnerships WHERE id = ANY($1::uuid[]) ORDER BY slug`,
          [ids],
        )) as PartnershipInfo[],
    );
  }

  /** Partnerships that share with an organisation. */
  sharingWith(organisationId: string): Promise<string[]> {
    return this.system.run(async (em) =>
      (await em.find(OrganisationShare, { where: { organisationId }, select: { partnershipId: true } })).map(
        (s) => s.partnershipId,
      ),
    );
  }

  /** The organisation an analyst account belongs to, if any. */
  organisationOf(userId: string): Promise<string | null> {
    return this.system.run(
      async (em) => (await em.findOneBy(OrganisationMember, { userId }))?.organisationId ?? null,
    );
  }

  createOrganisation(name: string, kind: OrganisationKind): Promise<Organisation> {
    return this.system.run(async (em) => {
      const { identifiers } = await em.insert(Organisation, { name, kind });
      return em.findOneByOrFail(Organisation, { id: identifiers[0].id as string });
    });
  }

  addMember(organisationId: string, userId: string): Promise<void> {
    return this.system.run(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(OrganisationMember)
        .values({ organisationId, userId })
        .orIgnore()
        .execute();
    });
  }

  /** Issues a key; the secret is returned once and only its SHA-256 is kept. */
  issueApiKey(organisationId: string, label: string): Promise<{ id: string; secret: string }> {
    const secret = newApiKeySecret();
    return this.system.run(async (em) => {
      const { identifiers } = await em.insert(AnalystApiKey, {
        organisationId,
        label,
        keyHash: hashApiKey(secret),
        scope: 'stats:read',
      });
      return { id: identifiers[0].id as string, secret };
    });
  }

  /** The live key with this secret, if any (and marks it used). */
  verifyApiKey(
    secret: string,
  ): Promise<{ keyId: string; organisationId: string; partnershipId: string | null } | null> {
    return this.system.run(async (em) => {
      const rows = (await em.query(
        `UPDATE analyst_api_keys SET last_used_at = now()
          WHERE key_hash = $1 AND revoked_at IS NULL AND scope = 'stats:read'
          RETURNING id, organisation_id, partnership_id`,
        [hashApiKey(secret)],
      )) as unknown[];
      const list = (Array.isArray(rows[0]) ? rows[0] : rows) as {
        id: string;
        organisation_id: string;
        partnership_id: string | null;
      }[];
      const row = list[0];
      return row
        ? { keyId: row.id, organisationId: row.organisation_id, partnershipId: row.partnership_id }
        : null;
    });
  }

  revokeApiKey(id: string): Promise<void> {
    return this.system.run(async (em) => {
      await em.update(AnalystApiKey, { id }, { revokedAt: new Date() });
    });
  }

  organisationExists(id: string): Promise<boolean> {
    return this.system.run(async (em) => em.existsBy(Organisation, { id }));
  }

  /** The partnership opts in to share its aggregates with an organisation (a disclosure: logged). */
  share(scope: TenantScope, organisationId: string): Promise<void> {
    return this.db.run(scope, async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(OrganisationShare)
        .values({ partnershipId: scope.partnershipId, organisationId, grantedBy: scope.actorId })
        .orIgnore()
        .execute();
      await appendAudit(em, scope, {
        action: AccessAction.Disclose,
        objectType: 'aggregate_statistics',
        objectId: organisationId,
        recipients: [organisationId],
        justification: 'partnership opted in to share aggregate statistics',
      });
    });
  }

  unshare(scope: TenantScope, organisationId: string): Promise<void> {
    return this.db.run(scope, async (em) => {
      await em.delete(OrganisationShare, { partnershipId: scope.partnershipId, organisationId });
    });
  }

  /** Queues a quarterly report through the outbox. */
  requestReport(scope: TenantScope, year: number, quarter: number): Promise<PartnershipReport> {
    return this.db.run(scope, async (em) => {
      const { identifiers } = await em.insert(PartnershipReport, {
        partnershipId: scope.partnershipId,
        year,
        quarter,
        status: ReportStatus.Pending,
        requestedBy: scope.actorId,
      });
      const id = identifiers[0].id as string;
      await appendOutbox(em, scope, {
        kind: 'job',
        job: JobName.BuildPartnershipReport,
        data: { partnershipId: scope.partnershipId, reportId: id, requestId: scope.requestId },
      });
      return em.findOneByOrFail(PartnershipReport, { id });
    });
  }

  report(scope: TenantScope, id: string): Promise<PartnershipReport | null> {
    return this.db.run(scope, (em) =>
      em.findOneBy(PartnershipReport, { id, partnershipId: scope.partnershipId }),
    );
  }

  /** Logs the download of a report (a disclosure of partnership data) and returns it. */
  downloadReport(scope: TenantScope, id: string): Promise<PartnershipReport | null> {
    return this.db.run(scope, async (em) => {
      const report = await em.findOneBy(PartnershipReport, { id, partnershipId: scope.partnershipId });
      if (report?.status === ReportStatus.Ready) {
        await appendAudit(em, scope, {
          action: AccessAction.Disclose,
          objectType: 'partnership_report',
          objectId: id,
          recipients: [scope.actorId],
        });
      }
      return report;
    });
  }

  /** Worker side: the report row (system, any partnership). */
  reportForBuild(partnershipId: string, id: string): Promise<PartnershipReport | null> {
    return this.db.run({ partnershipId }, (em) => em.findOneBy(PartnershipReport, { id, partnershipId }));
  }

  finishReport(
    partnershipId: string,
    id: string,
    done: { filePath: string; sha256: string; bytes: number } | null,
  ): Promise<void> {
    return this.db.run({ partnershipId }, async (em) => {
      await em.update(
        PartnershipReport,
        { id, partnershipId },
        done ? { status: ReportStatus.Ready, ...done } : { status: ReportStatus.Failed },
      );
    });
  }

  /** Repeat offenders in a window: counted, never named. */
  repeatOffenders(
    partnershipId: string,
    from: string,
    to: string,
  ): Promise<{ offenders: number; repeat: number; incidentsByRepeat: number; linked: number }> {
    return this.db.run({ partnershipId }, async (em) => {
      const [row] = (await em.query(
        `WITH per AS (
           SELECT offender_id, count(*)::int AS n FROM incidents
            WHERE partnership_id = $1 AND offender_id IS NOT NULL
              AND status IN ('submitted', 'reviewed', 'closed')
              AND occurred_at >= ($2::date::timestamp AT TIME ZONE 'Europe/London')
              AND occurred_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/London')
            GROUP BY offender_id)
         SELECT count(*)::int AS offenders, count(*) FILTER (WHERE n >= 2)::int AS repeat,
                coalesce(sum(n) FILTER (WHERE n >= 2), 0)::int AS "incidentsByRepeat",
                coalesce(sum(n), 0)::int AS linked
           FROM per`,
        [partnershipId, from, to],
      )) as { offenders: number; repeat: number; incidentsByRepeat: number; linked: number }[];
      return row;
    });
  }
}
