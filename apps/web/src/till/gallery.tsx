// The partnership's current gallery on a till, for staff signed in as themselves. Never on a shared
// tablet (the api refuses devices), and hidden until a member of staff asks for it, so a customer
// at the till does not see it by accident.
import { useState } from 'preact/hooks';
import type { Session } from '../api/client';
import type { Gallery, GallerySubject } from '../api/types';
import { PdfButton, SubjectPhoto, useLoad } from '../ui/data';
import { when } from '../ui/labels';

export function Gallery({ session }: { session: Session }) {
  const [shown, setShown] = useState(false);
  if (session.actor.kind === 'device') {
    return (
      <div class="not-available" role="note">
        <strong>The gallery is never shown on a shared till tablet.</strong> A customer could see the screen.
        Sign in as yourself on a staff device to see it.
      </div>
    );
  }
  if (!shown) {
    return (
      <div class="staff-gate">
        <p>
          The gallery shows people the partnership has listed. <strong>Staff only:</strong> make sure no
          customer can see this screen.
        </p>
        <button type="button" class="primary big" onClick={() => setShown(true)}>
          Show the gallery (staff mode)
        </button>
      </div>
    );
  }
  return <GalleryView onHide={() => setShown(false)} />;
}

function GalleryView({ onHide }: { onHide: () => void }) {
  const galleries = useLoad<{ items: Gallery[] }>('/galleries?limit=200');
  const [chosen, setChosen] = useState('');
  const id = chosen || galleries.data?.items[0]?.id || null;
  const people = useLoad<{ items: GallerySubject[] }>(id ? `/galleries/${id}/subjects` : null);
  return (
    <div class="gallery" data-testid="gallery">
      <div class="actions">
        <button type="button" class="secondary" onClick={onHide}>
          Hide the gallery
        </button>
        {(galleries.data?.items.length ?? 0) > 1 && (
          <div class="field inline">
            <label for="g-which">Gallery</label>
            <select
              id="g-which"
              value={id ?? ''}
              onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}
            >
              {galleries.data!.items.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {galleries.error && <p class="field-error">{galleries.error}</p>}
      {galleries.data && !galleries.data.items.length && (
        <p class="empty">No gallery is shown to your role.</p>
      )}
      {people.error && <p class="field-error">{people.error}</p>}
      {people.data && !people.data.items.length && <p class="empty">Nobody is listed at the moment.</p>}
      <ul class="gallery-grid">
        {(people.data?.items ?? []).map((s) => (
          <li key={s.id} class="gallery-card" data-testid="gallery-subject">
            <div class="photos-row">
              {(s.images ?? []).slice(0, 2).map((img) => (
                <SubjectPhoto key={img.id} imageId={img.id} alt={`Listed person ${s.reference}`} />
              ))}
            </div>
            <strong>{s.name ?? `Identity sought (${s.reference})`}</strong>
            <p>
              {[s.description.apparentAgeRange, s.description.height, s.description.build, s.description.hair]
                .filter(Boolean)
                .join(' · ')}
            </p>
            {s.description.usualClothing && <p>Usually wears {s.description.usualClothing}</p>}
            {s.description.distinguishingMarks && <p>{s.description.distinguishingMarks}</p>}
            <p class="meta">Listed until {when(s.listing.expiresAt)}</p>
          </li>
        ))}
      </ul>
      {id && (
        <PdfButton
          label="Print the briefing sheet"
          text="Briefing sheet (PDF)"
          path={`/galleries/${id}/briefing.pdf`}
          hint="For staff only: keep it out of customers' sight, never on a wall or in a chat, and shred it when a new one comes. Recorded in the access log."
        />
      )}
    </div>
  );
}
