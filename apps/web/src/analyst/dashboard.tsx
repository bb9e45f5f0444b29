// The analysts' dashboard: aggregate statistics only (never rows), as charts and CSV downloads.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, describeError, type Session } from '../api/client';
import { capabilities, type Capabilities } from '../api/capabilities';
import { NotAvailable, Select, TextField } from '../ui/fields';
import { INCIDENT_TYPES, TRIGGERS } from '../offline/report';
import { periodLabel, statLabel } from './labels';
import { QuarterlyReport } from './quarterly-report';

interface Point {
  label: string;
  value: number;
}

/** Reads the common shapes a stats route may answer with into label/value points, in words. */
export function toPoints(body: unknown, interval: 'day' | 'month' = 'month'): Point[] {
  const b = body as { points?: unknown[]; rows?: unknown[]; items?: unknown[] };
  const rows = Array.isArray(body) ? body : (b?.points ?? b?.rows ?? b?.items ?? []);
  return (rows as Record<string, unknown>[]).map((r) => ({
    label:
      (r.period ?? r.day ?? r.month) !== undefined
        ? periodLabel(String(r.period ?? r.day ?? r.month), interval)
        : statLabel(String(r.key ?? r.label ?? '')),
    // null: a small cell withheld for analysts
    value: Number(r.incidents ?? r.count ?? r.value ?? 0),
  }));
}

function Chart({ title, points, kind }: { title: string; points: Point[]; kind: 'line' | 'bar' }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import('chart.js/auto').then(({ default: ChartJs }) => {
      if (cancelled || !canvas.current) {
        return;
      }
      chart = new ChartJs(canvas.current, {
        type: kind,
        data: {
          labels: points.map((p) => p.label),
          datasets: [{ label: title, data: points.map((p) => p.value), backgroundColor: '#1d5fa8', borderColor: '#1d5fa8' }],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [points, kind, title]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${title}: ${points.map((p) => `${p.label} ${p.value}`).join(', ')}`} />
      </div>
    </figure>
  );
}

interface PanelSpec {
  title: string;
  kind: 'line' | 'bar';
  path: string;
  query: string;
}

const PANELS: PanelSpec[] = [
  { title: 'Incidents by month', kind: 'line', path: '/stats/series', query: 'interval=month' },
  { title: 'By type', kind: 'bar', path: '/stats/breakdown', query: 'by=type' },
  { title: 'By trigger', kind: 'bar', path: '/stats/breakdown', query: 'by=trigger' },
  { title: 'Police response', kind: 'bar', path: '/stats/breakdown', query: 'by=police' },
];

function Panel({ caps, title, kind, path, query, filter }: PanelSpec & { caps: Capabilities; filter: string }) {
  const route = caps.has('GET', path) ? `${path}?${query}${filter}` : null;
  const [points, setPoints] = useState<Point[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (route) {
      setError(null);
      api.get<unknown>(route).then(
        (b) => setPoints(toPoints(b, query.includes('interval=day') ? 'day' : 'month')),
        (e: unknown) => setError(describeError(e)),
      );
    }
  }, [route]);
  if (!route) {
    return <NotAvailable what={title} />;
  }
  const download = async () => {
    try {
      const res = await api.fetchRaw(`${route}&format=csv`, { headers: { accept: 'text/csv' } });
      const blob = await res.blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${title.toLowerCase().replace(/\W+/g, '-')}.csv`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <div class="panel">
      {error && <p class="field-error">{error}</p>}
      {points && <Chart title={title} points={points} kind={kind} />}
      <button type="button" class="secondary small" onClick={() => void download()}>
        Download CSV<span class="visually-hidden"> of {title}</span>
      </button>
    </div>
  );
}

/** The filters the stats routes take (StatsFilterQuery), as a query-string tail. */
interface Filters {
  from: string;
  to: string;
  type: string;
  trigger: string;
  region: string;
  forceArea: string;
}
const NO_FILTERS: Filters = { from: '', to: '', type: '', trigger: '', region: '', forceArea: '' };

function filterQuery(f: Filters): string {
  return Object.entries(f)
    .filter(([, v]) => v.trim())
    .map(([k, v]) => `&${k}=${encodeURIComponent(v.trim())}`)
    .join('');
}

function FilterBar({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const [draft, setDraft] = useState(value);
  const set = (k: keyof Filters) => (v: string) => setDraft({ ...draft, [k]: v });
  return (
    <form
      class="stats-filters"
      aria-label="Filter the statistics"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(draft);
      }}
    >
      <div class="row">
        <TextField id="sf-from" type="date" label="From" value={draft.from} onInput={set('from')} />
        <TextField id="sf-to" type="date" label="To" value={draft.to} onInput={set('to')} />
        <Select
          id="sf-type"
          label="Type"
          value={draft.type}
          options={[['', 'All types'], ...INCIDENT_TYPES]}
          onChange={set('type')}
        />
        <Select
          id="sf-trigger"
          label="Trigger"
          value={draft.trigger}
          options={[['', 'All triggers'], ...TRIGGERS]}
          onChange={set('trigger')}
        />
        <TextField id="sf-region" label="Region" value={draft.region} onInput={set('region')} />
        <TextField id="sf-force" label="Police force area" value={draft.forceArea} onInput={set('forceArea')} />
      </div>
      <div class="actions">
        <button type="submit" class="primary small">
          Apply filters
        </button>
        <button
          type="button"
          class="secondary small"
          onClick={() => {
            setDraft(NO_FILTERS);
            onChange(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

export function AnalystDashboard({ session }: { session: Session }) {
  const [caps, setCaps] = useState<Capabilities | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  useEffect(() => {
    void capabilities().then(setCaps);
  }, []);
  const filter = filterQuery(filters);
  const manager = session.actor.kind === 'user' && ['coordinator', 'admin'].includes(session.actor.role);
  return (
    <div class="analyst">
      <h1>Campaign statistics</h1>
      <p class="lead">Aggregates only: no individual reports, free text, images or store identities, and small counts are suppressed.</p>
      {caps && !caps.first('GET', ...PANELS.map((p) => p.path)) && (
        <NotAvailable what="The statistics service">Charts and CSV downloads appear here as soon as it is switched on.</NotAvailable>
      )}
      {caps?.first('GET', ...PANELS.map((p) => p.path)) && <FilterBar value={filters} onChange={setFilters} />}
      <div class="charts">{caps && PANELS.map((p) => <Panel key={p.title} caps={caps} filter={filter} {...p} />)}</div>
      {manager && caps?.has('POST', '/stats/reports') && <QuarterlyReport />}
    </div>
  );
}
