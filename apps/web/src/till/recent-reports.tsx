// The store's recent reports as the hub has them (from every tablet and member of staff), under
// what this tablet has queued: what was filed, its status, and its photos on request.
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../api/client';
import type { Incident, Page } from '../api/types';
import { ExhibitGallery } from '../ui/exhibits';
import { LoadStatus, useLoad } from '../ui/data';
import { typeLabel, when } from '../ui/labels';

const STATUS_TEXT: Record<Incident['status'], string> = {
  draft: 'Draft',
  submitted: 'Filed',
  reviewed: 'Reviewed by the coordinator',
  closed: 'Closed',
};

/** `sent`: how many of this tablet's reports have reached the hub; each new one reloads the list. */
export function RecentReports({ session, sent }: { session: Session; sent: number }) {
  const store = session.actor.storeId;
  const list = useLoad<Page<Incident>>(`/incidents?limit=10${store ? `&storeId=${store}` : ''}`);
  useEffect(() => list.reload(), [sent]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="recent-reports" class="recent-reports">
      <h2 id="recent-reports">Recent reports from this store</h2>
      <LoadStatus load={list} empty="No reports from this store yet." />
      <ul class="queue" data-testid="recent-reports">
        {(list.data?.items ?? []).map((i) => (
          <li key={i.id} class="queue-item" data-testid="recent-report">
            <div>
              <strong>{i.narrative.slice(0, 80)}</strong>
              <div class="meta">
                {when(i.occurredAt)} · {i.types.map(typeLabel).join(', ')} · {STATUS_TEXT[i.status]}
              </div>
              {open === i.id && <ExhibitGallery incidentId={i.id} />}
            </div>
            <button
              type="button"
              class="secondary small"
              aria-expanded={open === i.id}
              aria-label={`${open === i.id ? 'Hide photos' : 'Photos'} of the report of ${when(i.occurredAt)}`}
              onClick={() => setOpen(open === i.id ? null : i.id)}
            >
              {open === i.id ? 'Hide photos' : 'Photos'}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={list.reload}>
        Refresh
      </button>
    </section>
  );
}
