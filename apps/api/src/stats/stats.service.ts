import { Injectable } from '@nestjs/common';
import { Role, type TenantScope } from '@app/auth';
import { AppConfig } from '@app/config';
import { londonDate } from '@app/offenders';
import { type Measures, type Money, type PartnershipInfo, StatsRepository, type StatsAtom } from '@app/stats';
import { DomainError, ErrorCode } from '@app/errors';
import type { ApiKeyPrincipal } from '../http/request';
import type { BreakdownDimension, StatsFilterQuery, StatsSeriesQuery } from './dto/stats.query';
import {
  ANALYST_COLUMNS,
  addMeasures,
  addMoney,
  BREAKDOWNS,
  emptyMeasures,
  headlineOf,
  suppressAtom,
  suppressMoney,
} from './stats-math';

/** Who asks: a partnership's own staff (all figures) or an analyst (aggregates with suppression). */
export type StatsViewer =
  | { kind: 'member'; scope: TenantScope }
  | { kind: 'analyst'; partnershipIds: string[] };

/** The filters as applied: analysts' ranges widen to whole months. */
export interface AppliedFilters {
  from: string;
  to: string;
  partnerships: number;
  forceArea: string | null;
  region: string | null;
  type: string | null;
  trigger: string | null;
  /** analysts: smallest count shown (cells between 1 and k-1 are withheld) */
  k: number | null;
}

interface Resolved {
  viewer: StatsViewer;
  analyst: boolean;
  k: number;
  from: string;
  to: string;
  partnerships: PartnershipInfo[];
  filters: AppliedFilters;
}

const DAY_MS = 86_400_000;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function monthEnd(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
function periodsOf(from: string, to: string, interval: 'day' | 'month'): string[] {
  const out: string[] = [];
  for (let d = interval === 'month' ? monthStart(from) : from; d <= to && out.length < 5000; ) {
    out.push(d);
    d = interval === 'month' ? addDays(monthEnd(d), 1) : addDays(d, 1);
  }
  return out;
}

@Injectable()
export class StatsService {
  /** the negative control of the disclosure tests: primary suppression only (NODE_ENV=test) */
  private readonly secondary: boolean;

  constructor(
    private readonly stats: StatsRepository,
    private readonly config: AppConfig,
  ) {
    this.secondary = !config.testDefects.has('stats-primary-suppression-only');
  }

  /** The viewer behind a token or an API key. */
  async viewerOf(scope: TenantScope | null, apiKey: ApiKeyPrincipal | null): Promise<StatsViewer> {
    if (apiKey) {
      // a partnership's key reads that partnership only, and only while it still shares
      const sharing = await this.stats.sharingWith(apiKey.organisationId);
      return {
        kind: 'analyst',
        partnershipIds: apiKey.partnershipId ? sharing.filter((id) => id === apiKey.partnershipId) : sharing,
      };
    }
    if (!scope) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Please sign in again');
    }
    if (scope.role === Role.Analyst) {
      const org = await this.stats.organisationOf(scope.actorId);
      const shared = org ? await this.stats.sharingWith(org) : [];
      return { kind: 'analyst', partnershipIds: [...new Set([scope.partnershipId, ...shared])] };
    }
    if (scope.role === Role.Coordinator || scope.role === Role.Admin) {
      return { kind: 'member', scope };
    }
    throw DomainError.forbidden();
  }

  async headline(viewer: StatsViewer, q: StatsFilterQuery) {
    const r = await this.resolve(viewer, q);
    const total = this.sum(await this.atoms(r, 'month-or-day'), r);
    return {
      filters: r.filters,
      days: daysBetween(r.from, r.to),
      ...headlineOf(total.m, total.money, daysBetween(r.from, r.to)),
    };
  }

  async series(viewer: StatsViewer, q: StatsSeriesQuery) {
    const r = await this.resolve(viewer, q);
    const interval = r.analyst ? 'month' : (q.interval ?? 'month');
    if (r.analyst && q.interval === 'day') {
      throw DomainError.invalid('interval', 'analysts see months: a day is too small a window to publish');
    }
    const atoms = await this.stats.atoms({
      partnershipIds: r.partnerships.map((p) => p.id),
      from: interval === 'month' ? monthStart(r.from) : r.from,
      to: r.to,
      grain: interval,
      type: q.type,
      trigger: q.trigger,
    });
    if (interval === 'month' && !r.analyst && (r.from !== monthStart(r.from) || r.to !== monthEnd(r.to))) {
      // partial edge months for members: recompute them from days so the series matches the range
      return { filters: r.filters, interval, points: await this.memberMonthSeries(r, q) };
    }
    const byPeriod = new Map<string, StatsAtom[]>();
    for (const a of atoms) {
      byPeriod.set(a.period, [...(byPeriod.get(a.period) ?? []), a]);
    }
    const points = periodsOf(r.from, r.to, interval).map((period) => {
      const { m, money } = this.sum(byPeriod.get(period) ?? [], r);
      const days =
        interval === 'month'
          ? daysBetween(period < r.from ? r.from : period, monthEnd(period) > r.to ? r.to : monthEnd(period))
          : 1;
      return { period, ...headlineOf(m, money, days) };
    });
    return { filters: r.filters, interval, points };
  }

  async breakdown(viewer: StatsViewer, q: StatsFilterQuery & { by: BreakdownDimension }) {
    const r = await this.resolve(viewer, q);
    if (q.by === 'store') {
      if (viewer.kind !== 'member') {
        throw DomainError.forbidden('Store figures are for the partnership only');
      }
      if (q.type || q.trigger) {
        throw DomainError.invalid('by', 'store breakdowns take no type or trigger filter');
      }
      const stores = await this.stats.storeAtoms(viewer.scope, r.from, r.to);
      return {
        filters: r.filters,
        by: q.by,
        rows: stores.map((s) => ({
          key: s.storeName,
          storeId: s.storeId,
          ...headlineOf(s.m, s.money, daysBetween(r.from, r.to)),
        })),
      };
    }
    const atoms = await this.atoms(r, 'month-or-day');
    if (q.by === 'partnership') {
      const days = daysBetween(r.from, r.to);
      return {
        filters: r.filters,
        by: q.by,
        rows: r.partnerships.map((p) => ({
          key: p.slug,
          policeForceArea: p.policeForceArea,
          region: p.region,
          ...this.headlineOfSum(
            atoms.filter((a) => a.partnershipId === p.id),
            r,
            days,
          ),
        })),
      };
    }
    if (r.analyst && (q.by === 'weapon' || q.by === 'injury')) {
      throw DomainError.invalid('by', `${q.by} kinds are too fine to publish; use withWeapon / injured`);
    }
    const total = this.sum(atoms, r).m;
    return {
      filters: r.filters,
      by: q.by,
      rows: BREAKDOWNS[q.by].map(([key, column]) => ({
        key,
        incidents: total[column],
        share: total.incidents > 0 ? Math.round((total[column] / total.incidents) * 10000) / 10000 : null,
      })),
    };
  }

  /**
   * Sums atoms; analysts' atoms are suppressed first, one by one, so every published total is a
   * sum of published atoms (its differences with other totals reveal nothing the atoms do not).
   */
  private sum(atoms: StatsAtom[], r: Resolved): { m: Measures; money: Money } {
    const m = emptyMeasures(r.analyst ? ANALYST_COLUMNS : undefined);
    const money: Money = {};
    for (const a of atoms) {
      if (r.analyst) {
        const safe = suppressAtom(a.m, r.k, { secondary: this.secondary });
        addMeasures(m, safe);
        addMoney(money, suppressMoney(safe, a.money));
      } else {
        addMeasures(m, a.m);
        addMoney(money, a.money);
      }
    }
    return { m, money };
  }

  private headlineOfSum(atoms: StatsAtom[], r: Resolved, days: number) {
    const { m, money } = this.sum(atoms, r);
    return headlineOf(m, money, days);
  }

  /** Whole months come from stats_months, any other range from stats_days. */
  private atoms(r: Resolved, _: 'month-or-day'): Promise<StatsAtom[]> {
    const wholeMonths = r.from === monthStart(r.from) && r.to === monthEnd(r.to);
    return this.stats.atoms({
      partnershipIds: r.partnerships.map((p) => p.id),
      from: r.from,
      to: r.to,
      grain: r.analyst || wholeMonths ? 'month' : 'day',
      type: r.filters.type as never,
      trigger: r.filters.trigger as never,
    });
  }

  private async memberMonthSeries(r: Resolved, q: StatsFilterQuery) {
    const days = await this.stats.atoms({
      partnershipIds: r.partnerships.map((p) => p.id),
      from: r.from,
      to: r.to,
      grain: 'day',
      type: q.type,
      trigger: q.trigger,
    });
    return periodsOf(r.from, r.to, 'month').map((period) => {
      const end = monthEnd(period);
      return {
        period,
        ...this.headlineOfSum(
          days.filter((a) => monthStart(a.period) === period),
          r,
          daysBetween(period < r.from ? r.from : period, end > r.to ? r.to : end),
        ),
      };
    });
  }

  private async resolve(viewer: StatsViewer, q: StatsFilterQuery): Promise<Resolved> {
    const analyst = viewer.kind === 'analyst';
    const k = analyst ? Math.max(5, this.config.stats.minCell) : 1;
    let to = q.to ?? londonDate(new Date());
    let from = q.from ?? addDays(to, -364);
    if (from > to) {
      throw DomainError.invalid('from', 'must not be after to');
    }
    if (analyst) {
      if (q.type || q.trigger) {
        // a filter is a second partition of the same atoms; differences between the two would
        // isolate cells. Analysts narrow by type or trigger through breakdowns instead.
        throw DomainError.invalid(
          q.type ? 'type' : 'trigger',
          'not available as a filter on aggregate statistics; use breakdown?by=type or by=trigger',
        );
      }
      from = monthStart(from);
      to = monthEnd(to);
    }
    if (daysBetween(from, to) > 3700) {
      throw DomainError.invalid('from', 'the range may span at most ten years');
    }
    const visible = viewer.kind === 'member' ? [viewer.scope.partnershipId] : viewer.partnershipIds;
    if (q.partnershipId && !visible.includes(q.partnershipId)) {
      throw DomainError.notFound('partnership');
    }
    const ids = q.partnershipId ? [q.partnershipId] : visible;
    const partnerships = (await this.stats.partnerships(ids)).filter(
      (p) => (!q.forceArea || p.policeForceArea === q.forceArea) && (!q.region || p.region === q.region),
    );
    return {
      viewer,
      analyst,
      k,
      from,
      to,
      partnerships,
      filters: {
        from,
        to,
        partnerships: partnerships.length,
        forceArea: q.forceArea ?? null,
        region: q.region ?? null,
        type: q.type ?? null,
        trigger: q.trigger ?? null,
        k: analyst ? k : null,
      },
    };
  }
}
