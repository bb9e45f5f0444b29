// The partnership's new reports, from which an officer opens a case.
import { useState } from 'preact/hooks';
import type { Incident, Page, PoliceCase, Store } from '../api/types';
import { LoadStatus, useLoad } from '../ui/data';
import { IncidentDetail } from '../ui/incident-detail';
import { typeLabel, when } from '../ui/labels';
import { OpenCaseForm } from './open-case';

export function NewReports({
  stores,
  onOpened,
}: {
  stores: Map<string, Store>;
  onOpened: (c: PoliceCase) => void;
}) {
  const list = useLoad<Page<Incident>>('/incidents?limit=50&status=submitted');
  const [chosen, setChosen] = useState<Incident | null>(null);
  return (
    <section class="panel new-reports" aria-labelledby="nr-h">
      <h2 id="nr-h">New reports</h2>
      <LoadStatus load={list} empty="No new reports." />
      <ul class="plain">
        {(list.data?.items ?? []).map((i) => (
          <li key={i.id} data-testid="new-report">
            <button
              type="button"
              class="link"
              aria-pressed={chosen?.id === i.id}
              onClick={() => setChosen(i)}
            >
              {i.types.map(typeLabel).join(', ')} · {when(i.occurredAt)} ·{' '}
              {stores.get(i.storeId)?.name ?? 'store'}
            </button>
          </li>
        ))}
      </ul>
      {chosen && (
        <div class="drawer">
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
