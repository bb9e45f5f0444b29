// The partnership's new reports, from which an officer opens a case.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Incident, Page, PoliceCase, Store } from '../api/types';
import { ApiForm, LoadStatus, useFormValues, useLoad } from '../ui/data';
import { Check, TextArea } from '../ui/fields';
import { IncidentDetail } from '../ui/incident-detail';
import { typeLabel, when } from '../ui/labels';

export function NewReports({
  stores,
  onOpened,
}: {
  stores: Map<string, Store>;
  onOpened: (c: PoliceCase) => void;
}) {
  const list = useLoad<Page<Incident>>('/incidents?limit=50&status=submitted');
  const [chosen, setChosen] = useState<Incident | null>(null);
  const text = useFormValues({ reason: '' });
  const [detained, setDetained] = useState(false);
  const [vulnerable, setVulnerable] = useState(false);
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
          <ApiForm
            label="Open a case"
            submitText="Open a case"
            busyText="Opening…"
            submit={async () => {
              const c = await api.post<PoliceCase>('/cases', {
                incidentId: chosen.id,
                reason: text.values.reason.trim(),
                offenderDetained: detained,
                victimVulnerable: vulnerable,
              });
              setChosen(null);
              text.clear('reason');
              list.reload();
              onOpened(c);
            }}
            fieldIds={{ reason: 'oc-reason' }}
          >
            {(p) => (
              <>
                <TextArea
                  id="oc-reason"
                  label="Why open a case"
                  {...text.field('reason', p)}
                  rows={2}
                  required
                />
                <Check id="oc-detained" label="Offender detained" checked={detained} onChange={setDetained} />
                <Check
                  id="oc-vulnerable"
                  label="Victim is vulnerable"
                  checked={vulnerable}
                  onChange={setVulnerable}
                />
              </>
            )}
          </ApiForm>
        </div>
      )}
    </section>
  );
}
