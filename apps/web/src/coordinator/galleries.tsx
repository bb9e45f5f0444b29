// Galleries (who may see them, how long a listing lasts) and the listings waiting for review,
// listed, delisted or rejected.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Gallery, Listing } from '../api/types';
import { ActionButton, ApiForm, optionalText, PdfButton, useFormValues, useLoad } from '../ui/data';
import { CheckGroup, Select, TextArea, TextField } from '../ui/fields';
import { when } from '../ui/labels';
import { listPath, LoadMore, usePaged } from '../ui/paged';
import { subjectName, useSubjects } from './subjects/use-subjects';

const AUDIENCE: [string, string][] = [
  ['shopworker', 'Shop workers'],
  ['store_manager', 'Store managers'],
  ['police', 'Police'],
  ['coordinator', 'Coordinators'],
  ['admin', 'Administrators'],
];

const LISTING_STATES = [
  ['pending', 'Waiting for review'],
  ['listed', 'Listed'],
  ['delisted', 'Delisted'],
  ['rejected', 'Rejected'],
  ['', 'All'],
] as const;

export function Galleries() {
  const galleries = usePaged<Gallery>('/galleries');
  // the names listings are shown with, whichever page of galleries is loaded
  const names = useLoad<{ items: Gallery[] }>('/galleries?limit=200');
  const [state, setState] = useState<string>('pending');
  const listings = usePaged<Listing>(listPath('/gallery-listings', { state }));
  const subjects = useSubjects();
  const gname = (id: string) =>
    [...(galleries.data?.items ?? []), ...(names.data?.items ?? [])].find((g) => g.id === id)?.name ??
    'gallery';
  return (
    <div>
      <h2>Galleries</h2>
      <ul class="plain">
        {(galleries.data?.items ?? []).map((g) => (
          <li key={g.id} data-testid="gallery">
            <strong>{g.name}</strong> · listings last {g.defaultListingDays} days · shown to{' '}
            {g.audienceRoles.join(', ')}
            <PdfButton
              label={`Briefing sheet for ${g.name}`}
              text="Briefing sheet (PDF)"
              path={`/galleries/${g.id}/briefing.pdf`}
              hint="For member shops' staff: everyone listed now, with the rules for using it. Recorded in the access log."
            />
          </li>
        ))}
      </ul>
      <LoadMore list={galleries} what={['gallery', 'galleries']} />
      <NewGallery onDone={() => (galleries.reload(), names.reload())} />
      <h2>Listings</h2>
      <Select id="ls-state" label="Show" inline value={state} options={LISTING_STATES} onChange={setState} />
      {listings.data && !listings.data.items.length && <p class="empty">None.</p>}
      <ul class="cards">
        {(listings.data?.items ?? []).map((l) => (
          <li key={l.id} class="listing" data-testid="listing">
            <strong>{subjectName(subjects.map.get(l.subjectId))}</strong> in {gname(l.galleryId)} · {l.state}
            {l.expiresAt && ` · until ${when(l.expiresAt)}`}
            <p>{l.reason}</p>
            <p class="meta">
              Rests on {l.incidentIds.length} report(s){l.reviewNote && ` · review: ${l.reviewNote}`}
              {l.delistReason && ` · delisted: ${l.delistReason}`}
            </p>
            <ListingActions l={l} onDone={listings.reload} />
          </li>
        ))}
      </ul>
      <LoadMore list={listings} what={['listing', 'listings']} />
    </div>
  );
}

function NewGallery({ onDone }: { onDone: () => void }) {
  const text = useFormValues({ name: '', defaultListingDays: '90' });
  const [audience, setAudience] = useState<string[]>(['store_manager', 'coordinator', 'admin']);
  return (
    <details class="more">
      <summary>New gallery</summary>
      <ApiForm
        label="New gallery"
        submitText="Create gallery"
        fieldIds={{ name: 'ng-name', defaultListingDays: 'ng-days' }}
        submit={() =>
          api.post('/galleries', {
            name: text.values.name.trim(),
            defaultListingDays: Number(text.values.defaultListingDays),
            audienceRoles: audience,
          })
        }
        onDone={() => {
          text.clear('name');
          onDone();
        }}
      >
        {(p) => (
          <>
            <TextField id="ng-name" label="Name" {...text.field('name', p)} required />
            <TextField
              id="ng-days"
              label="Listing lasts (days)"
              inputMode="numeric"
              {...text.field('defaultListingDays', p)}
            />
            <CheckGroup
              id="ng-a"
              legend="Who may see it"
              options={AUDIENCE}
              selected={audience}
              onChange={setAudience}
            />
          </>
        )}
      </ApiForm>
    </details>
  );
}

function ListingActions({ l, onDone }: { l: Listing; onDone: () => void }) {
  const [note, setNote] = useState('');
  const [renewWith, setRenewWith] = useState('');
  const fid = `la-${l.id}`;
  if (l.state === 'pending') {
    const review = (decision: 'approve' | 'reject') => () =>
      api.post(`/gallery-listings/${l.id}/review`, { decision, ...optionalText('note', note) });
    return (
      <div class="actions">
        <TextField id={`${fid}-note`} label="Review note" value={note} onInput={setNote} />
        <ActionButton label="Approve" text="Approve listing" submit={review('approve')} onDone={onDone} />
        <ActionButton label="Reject" text="Reject" submit={review('reject')} onDone={onDone} />
      </div>
    );
  }
  if (l.state !== 'listed') {
    return null;
  }
  return (
    <details class="more">
      <summary>Delist or renew</summary>
      <TextArea id={`${fid}-reason`} label="Reason" value={note} onInput={setNote} rows={2} />
      <ActionButton
        label="Delist"
        text="Delist now"
        fieldIds={{ reason: `${fid}-reason` }}
        submit={() => api.post(`/gallery-listings/${l.id}/delist`, { reason: note.trim() })}
        onDone={onDone}
      />
      <TextField
        id={`${fid}-renew`}
        label="Newer report ids for renewal (comma-separated)"
        hint="A listing is renewed only with reports newer than the listing or its last renewal."
        value={renewWith}
        onInput={setRenewWith}
      />
      <ActionButton
        label="Renew"
        text="Renew listing"
        fieldIds={{ reason: `${fid}-reason`, incidentIds: `${fid}-renew` }}
        submit={() =>
          api.post(`/gallery-listings/${l.id}/renew`, {
            reason: note.trim(),
            incidentIds: renewWith
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          })
        }
        onDone={onDone}
      />
    </details>
  );
}
