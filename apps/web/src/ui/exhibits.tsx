// Photos and stills filed with a report: thumbnails, and the viewing copy on demand. Both come from
// the api without their metadata and stand the right way up; every fetch is in the access log (and
// in the continuity chain of a case holding the report), so nothing is fetched until it is shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Exhibit } from '../api/types';
import { ApiImage } from './api-image';
import { LoadStatus, useLoad } from './data';
import { when } from './labels';

/** Roles that may see a report's evidence (ROLES.reportHandlers in the api). */
const VIEWERS = new Set(['shopworker', 'store_manager', 'coordinator', 'police']);

const isImage = (x: Exhibit) => x.mediaType.startsWith('image/');

function kindOf(x: Exhibit): string {
  if (x.mediaType.startsWith('video/')) {
    return 'Video';
  }
  return x.mediaType === 'application/pdf' ? 'PDF document' : 'File';
}

const base = (x: Exhibit) => `/incidents/${x.incidentId}/evidence/${x.id}`;

/**
 * The report's exhibits as thumbnails; a click opens the viewing copy. `only` limits them to the
 * ones named (those attached to a store's answer); `exhibits`, when the caller has the list
 * already, saves reading (and logging) it twice. Shown only to roles that may see evidence.
 */
export function ExhibitGallery({
  incidentId,
  only,
  exhibits,
}: {
  incidentId: string;
  only?: string[];
  exhibits?: Exhibit[];
}) {
  const session = api.current;
  const role = session?.actor.kind === 'device' ? 'shopworker' : session?.actor.role;
  const allowed = !!role && VIEWERS.has(role);
  const list = useLoad<{ items: Exhibit[] }>(
    allowed && !exhibits ? `/incidents/${incidentId}/evidence` : null,
  );
  const [open, setOpen] = useState<Exhibit | null>(null);
  if (!allowed) {
    return null;
  }
  const items = (exhibits ?? list.data?.items ?? []).filter((x) => !only || only.includes(x.id));
  return (
    <div class="exhibits" data-testid="exhibits">
      <LoadStatus load={list} empty={only ? undefined : 'No photos or files with this report.'} />
      <ul class="photos-row">
        {items.map((x) => (
          <li key={x.id} class="exhibit">
            {isImage(x) ? (
              <button
                type="button"
                class="exhibit-open"
                onClick={() => setOpen(x)}
                aria-label={`Open exhibit ${x.reference} full size`}
                data-testid="exhibit-thumb"
              >
                <ApiImage path={`${base(x)}/thumbnail`} alt={`Exhibit ${x.reference}`} />
              </button>
            ) : (
              <span class="photo missing">{kindOf(x)}: in the evidence pack</span>
            )}
            <span class="meta">{x.reference}</span>
          </li>
        ))}
      </ul>
      {open && <ExhibitViewer exhibit={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** The viewing copy in a modal dialog (Escape or the button closes it). */
function ExhibitViewer({ exhibit: x, onClose }: { exhibit: Exhibit; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} class="exhibit-viewer" aria-label={`Exhibit ${x.reference}`} onClose={onClose}>
      <div class="actions">
        <strong>
          Exhibit {x.reference}
          {x.capturedAt && <span class="meta"> · taken {when(x.capturedAt)}</span>}
        </strong>
        <button type="button" class="secondary small" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
      <ApiImage path={`${base(x)}/view`} alt={`Exhibit ${x.reference}, full size`} class="exhibit-full" />
      <p class="hint">
        A viewing copy without the file’s hidden data (location, camera). Your view is logged.
      </p>
    </dialog>
  );
}
