// The partnership's new reports, searched and filtered a page at a time, from which an officer opens
// a case. Each row names the report fully (reference, store, times, narrative), so alike reports differ.
import { useState } from 'preact/hooks';
import type { Incident, PoliceCase, Store } from '../api/types';
import { LoadStatus } from '../ui/data';
import { IncidentDetail } from '../ui/incident-detail';
import {
  IncidentFilters,
  type IncidentFilter,
  IncidentRow,
  incidentsPath,
  NO_FILTER,
} from '../ui/incident-list';
import { LoadMore, usePaged } from '../ui/paged';
import { ScrollIntoView } from '../ui/scroll';
import { OpenCaseForm } from './open-case';

export function NewReports({
  stores,
  onOpened,
}: {
  stores: Map<string, Store>;
  onOpened: (c: PoliceCase) => void;
}) {
  const [filter, setFilter] = useState<IncidentFilter>({ ...NO_FILTER, status: 'submitted' });
  const list = usePaged<Incident>(incidentsPath(filter));
  const [chosen, setChosen] = useState<Incident | null>(null);
  return (
    <section class="panel new-reports" aria-labelledby="nr-h">
      <h2 id="nr-h">New reports</h2>
      <IncidentFilters
        idPrefix="nr"
        filter={filter}
        onChange={setFilter}
        stores={stores}
        problems={list.problems}
      />
      <LoadStatus load={list} empty={filter.q ? 'No new report matches the search.' : 'No new reports.'} />
      <ul class="cards">
        {(list.data?.items ?? []).map((i) => (
          <li key={i.id} data-testid="new-report" class={chosen?.id === i.id ? 'sel' : ''}>
            <IncidentRow
              incident={i}
              stores={stores}
              selected={chosen?.id === i.id}
              onOpen={() => setChosen(i)}
            />
          </li>
        ))}
      </ul>
      <LoadMore list={list} what={['report', 'reports']} />
      {chosen && (
        <div class="drawer">
          <ScrollIntoView key={chosen.id} />
          <IncidentDetail incident={chosen} stores={stores} />
          <OpenCaseForm
            key={chosen.id}
            source={{ incidentId: chosen.id }}
            idPrefix="oc"
            label="Open a case"
            onOpened={(c) => {
              setChosen(null);
              list.reload();
              onOpened(c);
            }}
          />
        </div>
      )}
    </section>
  );
}
