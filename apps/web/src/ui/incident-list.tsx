// Report lists (the coordinator's review, the police's new reports): search and the filters
// GET /incidents offers, and a row that tells apart reports that look alike (reference, store, times,
// the start of the narrative).
import type { Incident, Store } from '../api/types';
import { INCIDENT_TYPES } from '../offline/report';
import { TextField, Select } from './fields';
import { typeLabel, when } from './labels';
import { listPath, SearchBox } from './paged';

export interface IncidentFilter {
  q: string;
  status: string;
  storeId: string;
  type: string;
  /** YYYY-MM-DD, the first day shown */
  from: string;
  /** YYYY-MM-DD, the last day shown */
  to: string;
}

export const NO_FILTER: IncidentFilter = { q: '', status: '', storeId: '', type: '', from: '', to: '' };

/** A report's short reference, as said on the phone: the start of its id. */
export const incidentRef = (i: Pick<Incident, 'id'>) => `R-${i.id.slice(0, 8).toUpperCase()}`;

/** Local midnight of a day, as the api's zoned date-time; null when blank or not a date. */
function dayStart(day: string, plusDays = 0): string | null {
  const d = new Date(`${day}T00:00`);
  if (!day || Number.isNaN(d.getTime())) {
    return null;
  }
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

/** GET /incidents with the filter; the last day counts whole (occurredTo is exclusive). */
export const incidentsPath = (f: IncidentFilter, limit = 50) =>
  listPath('/incidents', {
    limit,
    q: f.q,
    status: f.status,
    storeId: f.storeId,
    type: f.type,
    occurredFrom: dayStart(f.from),
    occurredTo: dayStart(f.to, 1),
  });

/** The search box and filters; `statuses` are the status choices this list offers. */
export function IncidentFilters({
  idPrefix,
  filter,
  onChange,
  stores,
  statuses,
  problems,
}: {
  idPrefix: string;
  filter: IncidentFilter;
  onChange: (f: IncidentFilter) => void;
  stores: Map<string, Store>;
  statuses?: readonly (readonly [string, string])[];
  problems?: Record<string, string>;
}) {
  const set = (part: Partial<IncidentFilter>) => onChange({ ...filter, ...part });
  return (
    <div class="filters">
      <SearchBox
        id={`${idPrefix}-q`}
        label="Search reports"
        hint="Words from the narrative, the goods or the store's name"
        value={filter.q}
        error={problems?.q}
        onSearch={(q) => set({ q })}
      />
      <div class="filter-row">
        {statuses && (
          <Select
            id={`${idPrefix}-status`}
            label="Status"
            value={filter.status}
            options={statuses}
            onChange={(status) => set({ status })}
          />
        )}
        <Select
          id={`${idPrefix}-store`}
          label="Store"
          value={filter.storeId}
          options={[['', 'Every store'], ...[...stores.values()].map((s) => [s.id, s.name] as const)]}
          onChange={(storeId) => set({ storeId })}
        />
        <Select
          id={`${idPrefix}-type`}
          label="Type"
          value={filter.type}
          options={[['', 'Every type'], ...INCIDENT_TYPES]}
          onChange={(type) => set({ type })}
        />
        <TextField
          id={`${idPrefix}-from`}
          label="From"
          type="date"
          value={filter.from}
          error={problems?.occurredFrom}
          onInput={(from) => set({ from })}
        />
        <TextField
          id={`${idPrefix}-to`}
          label="To"
          type="date"
          value={filter.to}
          error={problems?.occurredTo}
          onInput={(to) => set({ to })}
        />
      </div>
    </div>
  );
}

/** One report in a list: a button naming it fully, so three alike reports read differently. */
export function IncidentRow({
  incident: i,
  stores,
  selected,
  onOpen,
}: {
  incident: Incident;
  stores: Map<string, Store>;
  selected: boolean;
  onOpen: () => void;
}) {
  const store = stores.get(i.storeId)?.name ?? 'a store';
  const excerpt = i.narrative.length > 90 ? `${i.narrative.slice(0, 90)}…` : i.narrative;
  return (
    <button type="button" class="card-row" aria-pressed={selected} onClick={onOpen}>
      <strong>
        {incidentRef(i)} · {i.types.map(typeLabel).join(', ')}
      </strong>
      <span class="meta">
        {store} · happened {when(i.occurredAt)}
        {i.reportedAt && <> · reported {when(i.reportedAt)}</>}
        {i.status !== 'submitted' && <span class="status-tag">{i.status}</span>}
      </span>
      <span class="meta excerpt">{excerpt}</span>
    </button>
  );
}
