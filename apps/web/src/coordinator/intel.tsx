// Offender intelligence for coordinators: subjects (with images, links and suggestions that a person
// accepts one by one), galleries and listings, exclusion notices and serial-offender flags.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type {
  ExclusionNotice,
  Gallery,
  Incident,
  Listing,
  Page,
  SerialFlag,
  Store,
  Subject,
  SubjectLink,
  Suggestion,
} from '../api/types';
import { ApiForm, shortId, SubjectPhoto, uploadFile, useLoad } from '../ui/data';
import { Check, TextArea, TextField } from '../ui/fields';
import { pounds, typeLabel, when } from '../ui/labels';

type Tab = 'subjects' | 'galleries' | 'exclusions' | 'flags';
const TABS: [Tab, string][] = [
  ['subjects', 'Subjects'],
  ['galleries', 'Galleries'],
  ['exclusions', 'Exclusion notices'],
  ['flags', 'Serial-offender flags'],
];

export const subjectName = (s: Subject | undefined) =>
  s ? `${s.reference}${s.name ? ` · ${s.name}` : ' · identity sought'}` : 'subject';

function useSubjects() {
  const all = useLoad<Page<Subject>>('/subjects?limit=100');
  return { ...all, map: new Map((all.data?.items ?? []).map((s) => [s.id, s])) };
}

export function Intelligence({ stores }: { stores: Map<string, Store> }) {
  const [tab, setTab] = useState<Tab>('subjects');
  return (
    <div class="intel">
      <div class="tabs" role="tablist" aria-label="Intelligence">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`itab-${id}`}
            aria-selected={tab === id}
            aria-controls={`ipanel-${id}`}
            class={tab === id ? 'tab on' : 'tab'}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div id={`ipanel-${tab}`} role="tabpanel" aria-labelledby={`itab-${tab}`}>
        {tab === 'subjects' && <Subjects stores={stores} />}
        {tab === 'galleries' && <Galleries />}
        {tab === 'exclusions' && <Exclusions stores={stores} />}
        {tab === 'flags' && <Flags stores={stores} />}
      </div>
    </div>
  );
}

/** In incident review: link this report to a subject (a person decides; nothing is automatic). */
export function LinkToSubject({ incident }: { incident: Incident }) {
  const subjects = useSubjects();
  const [subjectId, setSubjectId] = useState('');
  const [note, setNote] = useState('');
  const links = incident.offenderId;
  if (subjects.data && !subjects.data.items.length) {
    return <p class="empty">No subjects yet: create one under Subjects.</p>;
  }
  return (
    <ApiForm
      label="Link to a subject"
      submitText="Link to subject"
      fieldIds={{ incidentId: 'ls-subject', note: 'ls-note' }}
      submit={() => {
        if (!subjectId) {
          return Promise.reject(new Error('Choose a subject first'));
        }
        return api.post(`/subjects/${subjectId}/incidents`, {
          incidentId: incident.id,
          ...(note.trim() ? { note: note.trim() } : {}),
        });
      }}
      onDone={() => setNote('')}
    >
      {(p) => (
        <>
          {links && <p class="meta">The reporter named subject {subjectName(subjects.map.get(links))}.</p>}
          <div class="field">
            <label for="ls-subject">Subject</label>
            <select
              id="ls-subject"
              value={subjectId}
              onChange={(e) => setSubjectId((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">Choose…</option>
              {(subjects.data?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {subjectName(s)}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id="ls-note"
            label="Why you are sure (optional note)"
            value={note}
            onInput={setNote}
            error={p.note}
          />
        </>
      )}
    </ApiForm>
  );
}

// --- subjects ---------------------------------------------------------------------------------

function Subjects({ stores }: { stores: Map<string, Store> }) {
  const subjects = useSubjects();
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <div class="subjects">
      {subjects.error && <p class="field-error">{subjects.error}</p>}
      <div class="actions">
        <button
          type="button"
          class="secondary"
          aria-expanded={creating}
          onClick={() => setCreating(!creating)}
        >
          {creating ? 'Close the new subject form' : 'New subject'}
        </button>
      </div>
      {creating && (
        <NewSubject
          onCreated={(id) => {
            setCreating(false);
            subjects.reload();
            setOpen(id);
          }}
        />
      )}
      {subjects.data && !subjects.data.items.length && <p class="empty">No subjects yet.</p>}
      <ul class="cards">
        {(subjects.data?.items ?? []).map((s) => (
          <li key={s.id} class={open === s.id ? 'sel' : ''} data-testid="subject-row">
            <button
              type="button"
              class="card-row"
              aria-pressed={open === s.id}
              onClick={() => setOpen(open === s.id ? null : s.id)}
            >
              <strong>{subjectName(s)}</strong>
              <span class="meta">
                {[s.description.build, s.description.hair, s.description.usualClothing]
                  .filter(Boolean)
                  .join(' · ') || 'No description'}
                {s.juvenile && ' · under 18'}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {open && <SubjectView key={open} id={open} stores={stores} onChanged={subjects.reload} />}
    </div>
  );
}

function NewSubject({ onCreated }: { onCreated: (id: string) => void }) {
  const recent = useLoad<Page<Incident>>('/incidents?limit=50');
  const [kind, setKind] = useState<'id_sought' | 'known'>('id_sought');
  const [name, setName] = useState('');
  const [d, setD] = useState({
    apparentAgeRange: '',
    height: '',
    build: '',
    hair: '',
    usualClothing: '',
    distinguishingMarks: '',
  });
  const [juvenile, setJuvenile] = useState(false);
  const [reason, setReason] = useState('');
  const [incidents, setIncidents] = useState<string[]>([]);
  const set = (k: keyof typeof d) => (v: string) => setD({ ...d, [k]: v });
  return (
    <div class="drawer">
      <h3>New subject</h3>
      <ApiForm
        label="New subject"
        submitText="Create subject"
        fieldIds={{ name: 'ns-name', reason: 'ns-reason' }}
        submit={async () => {
          if (reason.trim().length < 3) {
            throw new Error('Give the reason for creating this subject (it is kept with each linked report)');
          }
          if (!incidents.length) {
            throw new Error('Choose at least one report this person was involved in');
          }
          const description = Object.fromEntries(
            Object.entries(d)
              .filter(([, v]) => v.trim())
              .map(([k, v]) => [k, v.trim()]),
          );
          const s = await api.post<Subject>('/subjects', {
            kind,
            ...(kind === 'known' ? { name: name.trim() } : {}),
            description,
            juvenile,
          });
          for (const incidentId of incidents) {
            await api.post(`/subjects/${s.id}/incidents`, { incidentId, note: reason.trim() });
          }
          onCreated(s.id);
        }}
      >
        {(p) => (
          <>
            <div class="field">
              <label for="ns-kind">Kind</label>
              <select
                id="ns-kind"
                value={kind}
                onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as 'known')}
              >
                <option value="id_sought">Identity sought</option>
                <option value="known">Known (named)</option>
              </select>
            </div>
            {kind === 'known' && (
              <TextField id="ns-name" label="Name" value={name} onInput={setName} error={p.name} required />
            )}
            <p class="hint">
              Describe what anyone could see. Never record ethnicity, religion, health, sexuality, politics or
              union membership.
            </p>
            <div class="row">
              <TextField
                id="ns-age"
                label="Apparent age range"
                value={d.apparentAgeRange}
                onInput={set('apparentAgeRange')}
                error={p['description.apparentAgeRange']}
              />
              <TextField
                id="ns-height"
                label="Height"
                value={d.height}
                onInput={set('height')}
                error={p['description.height']}
              />
              <TextField
                id="ns-build"
                label="Build"
                value={d.build}
                onInput={set('build')}
                error={p['description.build']}
              />
              <TextField
                id="ns-hair"
                label="Hair"
                value={d.hair}
                onInput={set('hair')}
                error={p['description.hair']}
              />
            </div>
            <TextField
              id="ns-clothing"
              label="Usual clothing"
              value={d.usualClothing}
              onInput={set('usualClothing')}
              error={p['description.usualClothing']}
            />
            <TextField
              id="ns-marks"
              label="Distinguishing marks"
              value={d.distinguishingMarks}
              onInput={set('distinguishingMarks')}
              error={p['description.distinguishingMarks']}
            />
            <Check
              id="ns-juvenile"
              label="Under 18 or otherwise vulnerable"
              checked={juvenile}
              onChange={setJuvenile}
            />
            <TextArea
              id="ns-reason"
              label="Reason for creating this subject"
              value={reason}
              onInput={setReason}
              rows={2}
              error={p.note}
              required
            />
            <fieldset class="field">
              <legend>Reports this person was involved in *</legend>
              {(recent.data?.items ?? []).map((i) => (
                <div class="check" key={i.id}>
                  <input
                    id={`ns-i-${i.id}`}
                    type="checkbox"
                    checked={incidents.includes(i.id)}
                    onChange={(e) =>
                      setIncidents(
                        (e.currentTarget as HTMLInputElement).checked
                          ? [...incidents, i.id]
                          : incidents.filter((x) => x !== i.id),
                      )
                    }
                  />
                  <label for={`ns-i-${i.id}`}>
                    {when(i.occurredAt)} · {i.types.map(typeLabel).join(', ')} · {i.narrative.slice(0, 60)}
                  </label>
                </div>
              ))}
            </fieldset>
          </>
        )}
      </ApiForm>
    </div>
  );
}

function SubjectView({
  id,
  stores,
  onChanged,
}: {
  id: string;
  stores: Map<string, Store>;
  onChanged: () => void;
}) {
  const subject = useLoad<Subject>(`/subjects/${id}`);
  const links = useLoad<{ items: SubjectLink[] }>(`/subjects/${id}/incidents`);
  const suggestions = useLoad<{ items: Suggestion[] }>(`/subjects/${id}/suggestions`);
  const notices = useLoad<{ items: ExclusionNotice[] }>(`/subjects/${id}/exclusion-notices`);
  const s = subject.data;
  const refresh = () => {
    subject.reload();
    links.reload();
    suggestions.reload();
    notices.reload();
    onChanged();
  };
  if (!s) {
    return subject.error ? <p class="field-error">{subject.error}</p> : <p aria-busy="true">Loading…</p>;
  }
  const storeName = (sid: string) => stores.get(sid)?.name ?? 'a store';
  return (
    <section class="drawer subject-view" aria-label={`Subject ${s.reference}`} data-testid="subject-view">
      <h3>{subjectName(s)}</h3>
      <div class="photos-row">
        {(s.images ?? []).map((img) => (
          <SubjectPhoto key={img.id} imageId={img.id} alt={`Image of subject ${s.reference}`} />
        ))}
        {!s.images?.length && <p class="empty">No images.</p>}
      </div>
      <ImageUpload subjectId={s.id} onDone={refresh} />
      <dl class="detail">
        {Object.entries(s.description)
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <>
              <dt key={`k${k}`}>{k.replace(/([A-Z])/g, ' $1').toLowerCase()}</dt>
              <dd key={`v${k}`}>{v}</dd>
            </>
          ))}
        {s.aggregate && (
          <>
            <dt>Reports</dt>
            <dd>
              {s.aggregate.incidentCount} · {pounds(s.aggregate.totalValuePence)} ·{' '}
              {s.aggregate.storeIds.length} store(s)
              {s.aggregate.violence && ' · violence'}
            </dd>
          </>
        )}
      </dl>

      <h4>Linked reports</h4>
      {links.data && !links.data.items.length && <p class="empty">None yet.</p>}
      <ul class="plain">
        {(links.data?.items ?? []).map((l) => (
          <li key={l.incidentId} data-testid="subject-link">
            {when(l.occurredAt)} · {storeName(l.storeId)} · {pounds(l.valuePence)}
            {l.note && <span class="meta">“{l.note}”</span>}
          </li>
        ))}
      </ul>

      <h4>Suggested reports</h4>
      <p class="hint">
        Possible matches only. Read each report; link it only if you are sure it is this person.
      </p>
      {suggestions.error && <p class="field-error">{suggestions.error}</p>}
      {suggestions.data && !suggestions.data.items.length && <p class="empty">No suggestions.</p>}
      <ul class="plain">
        {(suggestions.data?.items ?? []).map((g) => (
          <SuggestionRow key={g.incidentId} subjectId={s.id} g={g} storeName={storeName} onDone={refresh} />
        ))}
      </ul>

      <h4>Galleries</h4>
      <ul class="plain">
        {(s.listings ?? []).map((l) => (
          <li key={l.id}>
            {l.state}
            {l.current && l.expiresAt && ` until ${when(l.expiresAt)}`} · {l.reason}
          </li>
        ))}
      </ul>
      <ProposeListing subject={s} linked={links.data?.items ?? []} onDone={refresh} />

      <h4>Exclusion notices</h4>
      <NoticeList notices={notices.data?.items ?? []} stores={stores} onDone={refresh} />
      <IssueNotice subject={s} linked={links.data?.items ?? []} stores={stores} onDone={refresh} />
    </section>
  );
}

function SuggestionRow({
  subjectId,
  g,
  storeName,
  onDone,
}: {
  subjectId: string;
  g: Suggestion;
  storeName: (id: string) => string;
  onDone: () => void;
}) {
  const [incident, setIncident] = useState<Incident | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/subjects/${subjectId}/incidents`, {
        incidentId: g.incidentId,
        note: `Accepted suggestion: ${g.reasons.join(', ')}`,
      });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="suggestion" data-testid="suggestion" data-incident={g.incidentId}>
      <div>
        {when(g.occurredAt)} · {storeName(g.storeId)} · <strong>why: {g.reasons.join(', ')}</strong>
      </div>
      {incident && <p class="narrative">{incident.narrative}</p>}
      {error && <p class="field-error">{error}</p>}
      <div class="actions">
        {!incident && (
          <button
            type="button"
            class="secondary small"
            onClick={() =>
              void api
                .get<Incident>(`/incidents/${g.incidentId}`)
                .then(setIncident, (e: Error) => setError(e.message))
            }
          >
            Read the report
          </button>
        )}
        <button type="button" class="primary small" disabled={busy} onClick={() => void accept()}>
          Link this report
        </button>
      </div>
    </li>
  );
}

function ImageUpload({ subjectId, onDone }: { subjectId: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  return (
    <ApiForm
      label="Add an image"
      submitText="Add image"
      busyText="Uploading…"
      submit={() =>
        file
          ? uploadFile(`/subjects/${subjectId}/images`, file)
          : Promise.reject(new Error('Choose an image file'))
      }
      onDone={onDone}
    >
      {() => (
        <div class="field">
          <label for={`img-${subjectId}`}>Image (JPEG or PNG; location and camera details are removed)</label>
          <input
            id={`img-${subjectId}`}
            type="file"
            accept="image/jpeg,image/png"
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
      )}
    </ApiForm>
  );
}

function ProposeListing({
  subject,
  linked,
  onDone,
}: {
  subject: Subject;
  linked: SubjectLink[];
  onDone: () => void;
}) {
  const galleries = useLoad<{ items: Gallery[] }>('/galleries');
  const [galleryId, setGalleryId] = useState('');
  const [reason, setReason] = useState('');
  const target = galleryId || galleries.data?.items[0]?.id || '';
  if (galleries.data && !galleries.data.items.length) {
    return <p class="hint">Create a gallery (Galleries tab) to list this subject.</p>;
  }
  return (
    <ApiForm
      label="Propose for a gallery"
      submitText="Propose listing"
      fieldIds={{ reason: `pl-reason-${subject.id}` }}
      submit={() =>
        api.post(`/galleries/${target}/listings`, {
          subjectId: subject.id,
          reason: reason.trim(),
          incidentIds: linked.map((l) => l.incidentId),
        })
      }
      onDone={() => {
        setReason('');
        onDone();
      }}
    >
      {(p) => (
        <>
          <div class="field">
            <label for={`pl-g-${subject.id}`}>Gallery</label>
            <select
              id={`pl-g-${subject.id}`}
              value={target}
              onChange={(e) => setGalleryId((e.currentTarget as HTMLSelectElement).value)}
            >
              {(galleries.data?.items ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <TextArea
            id={`pl-reason-${subject.id}`}
            label="Reason for listing (resting on the linked reports)"
            value={reason}
            onInput={setReason}
            rows={2}
            error={p.reason ?? p.incidentIds}
          />
        </>
      )}
    </ApiForm>
  );
}

// --- galleries and listings -------------------------------------------------------------------

const AUDIENCE: [string, string][] = [
  ['shopworker', 'Shop workers'],
  ['store_manager', 'Store managers'],
  ['police', 'Police'],
  ['coordinator', 'Coordinators'],
  ['admin', 'Administrators'],
];

function Galleries() {
  const galleries = useLoad<{ items: Gallery[] }>('/galleries');
  const [state, setState] = useState('pending');
  const listings = useLoad<{ items: Listing[] }>(`/gallery-listings${state ? `?state=${state}` : ''}`);
  const subjects = useSubjects();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [audience, setAudience] = useState<string[]>(['store_manager', 'coordinator', 'admin']);
  const gname = (id: string) => galleries.data?.items.find((g) => g.id === id)?.name ?? 'gallery';
  return (
    <div>
      <h3>Galleries</h3>
      <ul class="plain">
        {(galleries.data?.items ?? []).map((g) => (
          <li key={g.id}>
            <strong>{g.name}</strong> · listings last {g.defaultListingDays} days · shown to{' '}
            {g.audienceRoles.join(', ')}
          </li>
        ))}
      </ul>
      <details class="more">
        <summary>New gallery</summary>
        <ApiForm
          label="New gallery"
          submitText="Create gallery"
          fieldIds={{ name: 'ng-name', defaultListingDays: 'ng-days' }}
          submit={() =>
            api.post('/galleries', {
              name: name.trim(),
              defaultListingDays: Number(days),
              audienceRoles: audience,
            })
          }
          onDone={() => {
            setName('');
            galleries.reload();
          }}
        >
          {(p) => (
            <>
              <TextField id="ng-name" label="Name" value={name} onInput={setName} error={p.name} required />
              <TextField
                id="ng-days"
                label="Listing lasts (days)"
                inputMode="numeric"
                value={days}
                onInput={setDays}
                error={p.defaultListingDays}
              />
              <fieldset class="field">
                <legend>Who may see it</legend>
                {AUDIENCE.map(([v, l]) => (
                  <Check
                    key={v}
                    id={`ng-a-${v}`}
                    label={l}
                    checked={audience.includes(v)}
                    onChange={(on) => setAudience(on ? [...audience, v] : audience.filter((a) => a !== v))}
                  />
                ))}
              </fieldset>
            </>
          )}
        </ApiForm>
      </details>
      <h3>Listings</h3>
      <div class="field inline">
        <label for="ls-state">Show</label>
        <select
          id="ls-state"
          value={state}
          onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="pending">Waiting for review</option>
          <option value="listed">Listed</option>
          <option value="delisted">Delisted</option>
          <option value="rejected">Rejected</option>
          <option value="">All</option>
        </select>
      </div>
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
    </div>
  );
}

function ListingActions({ l, onDone }: { l: Listing; onDone: () => void }) {
  const [note, setNote] = useState('');
  const [renewWith, setRenewWith] = useState('');
  const fid = `la-${l.id}`;
  if (l.state === 'pending') {
    return (
      <div class="actions">
        <TextField id={`${fid}-note`} label="Review note" value={note} onInput={setNote} />
        <ApiForm
          label="Approve"
          submitText="Approve listing"
          submit={() =>
            api.post(`/gallery-listings/${l.id}/review`, {
              decision: 'approve',
              ...(note.trim() ? { note: note.trim() } : {}),
            })
          }
          onDone={onDone}
        >
          {() => null}
        </ApiForm>
        <ApiForm
          label="Reject"
          submitText="Reject"
          submit={() =>
            api.post(`/gallery-listings/${l.id}/review`, {
              decision: 'reject',
              ...(note.trim() ? { note: note.trim() } : {}),
            })
          }
          onDone={onDone}
        >
          {() => null}
        </ApiForm>
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
      <ApiForm
        label="Delist"
        submitText="Delist now"
        fieldIds={{ reason: `${fid}-reason` }}
        submit={() => api.post(`/gallery-listings/${l.id}/delist`, { reason: note.trim() })}
        onDone={onDone}
      >
        {() => null}
      </ApiForm>
      <TextField
        id={`${fid}-renew`}
        label="Newer report ids for renewal (comma-separated)"
        hint="A listing is renewed only with reports newer than the listing or its last renewal."
        value={renewWith}
        onInput={setRenewWith}
      />
      <ApiForm
        label="Renew"
        submitText="Renew listing"
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
      >
        {() => null}
      </ApiForm>
    </details>
  );
}

// --- exclusion notices ------------------------------------------------------------------------

function Exclusions({ stores }: { stores: Map<string, Store> }) {
  const notices = useLoad<{ items: ExclusionNotice[] }>('/exclusion-notices');
  return (
    <div>
      <p class="hint">Notices in force now. Issue a new notice from a subject’s page.</p>
      {notices.error && <p class="field-error">{notices.error}</p>}
      <NoticeList notices={notices.data?.items ?? []} stores={stores} onDone={notices.reload} />
    </div>
  );
}

function NoticeList({
  notices,
  stores,
  onDone,
}: {
  notices: ExclusionNotice[];
  stores: Map<string, Store>;
  onDone: () => void;
}) {
  const subjects = useSubjects();
  if (!notices.length) {
    return <p class="empty">No notices.</p>;
  }
  return (
    <ul class="cards">
      {notices.map((n) => (
        <li key={n.id} class="notice-card" data-testid="exclusion">
          <strong>{subjectName(subjects.map.get(n.subjectId))}</strong> ·{' '}
          {n.applies ? 'in force' : 'not in force'} until {when(n.expiresAt)}
          <p>
            {n.area ?? n.storeIds.map((s) => stores.get(s)?.name ?? 'store').join(', ')} · served{' '}
            {when(n.servedAt)} by {n.servedByName} ({n.serviceMethod.replace('_', ' ')})
          </p>
          <p class="meta">
            {n.proofSha256
              ? `Proof of service on file (${n.proofSha256.slice(0, 12)}…)`
              : 'No proof of service yet'}{' '}
            · appeal: {n.appealStatus}
            {n.appealOutcome && ` (${n.appealOutcome})`}
          </p>
          <NoticeActions n={n} onDone={onDone} />
        </li>
      ))}
    </ul>
  );
}

function NoticeActions({ n, onDone }: { n: ExclusionNotice; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<'lodged' | 'decided'>(
    n.appealStatus === 'lodged' ? 'decided' : 'lodged',
  );
  const [outcome, setOutcome] = useState('upheld');
  const [note, setNote] = useState('');
  return (
    <details class="more">
      <summary>Proof of service and appeal</summary>
      <ApiForm
        label="Upload proof of service"
        submitText="Upload proof"
        busyText="Uploading…"
        submit={() =>
          file
            ? uploadFile(`/exclusion-notices/${n.id}/proof`, file)
            : Promise.reject(new Error('Choose the photo or scan of the served notice'))
        }
        onDone={onDone}
      >
        {() => (
          <div class="field">
            <label for={`pf-${n.id}`}>Photo or scan of the served notice</label>
            <input
              id={`pf-${n.id}`}
              type="file"
              accept="image/jpeg,image/png,application/pdf"
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
          </div>
        )}
      </ApiForm>
      {n.appealStatus !== 'decided' && (
        <ApiForm
          label="Appeal"
          submitText={status === 'lodged' ? 'Record appeal lodged' : 'Record appeal outcome'}
          fieldIds={{ outcome: `ap-o-${n.id}`, note: `ap-n-${n.id}` }}
          submit={() =>
            api.post(`/exclusion-notices/${n.id}/appeal`, {
              status,
              ...(status === 'decided' ? { outcome } : {}),
              ...(note.trim() ? { note: note.trim() } : {}),
            })
          }
          onDone={onDone}
        >
          {(p) => (
            <>
              <div class="field">
                <label for={`ap-s-${n.id}`}>Appeal</label>
                <select
                  id={`ap-s-${n.id}`}
                  value={status}
                  onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as 'lodged')}
                >
                  <option value="lodged">Lodged</option>
                  <option value="decided">Decided</option>
                </select>
              </div>
              {status === 'decided' && (
                <div class={`field${p.outcome ? ' has-error' : ''}`}>
                  <label for={`ap-o-${n.id}`}>Outcome</label>
                  <select
                    id={`ap-o-${n.id}`}
                    value={outcome}
                    onChange={(e) => setOutcome((e.currentTarget as HTMLSelectElement).value)}
                  >
                    <option value="upheld">Upheld (the notice stands)</option>
                    <option value="varied">Varied</option>
                    <option value="overturned">Overturned (the notice stops applying)</option>
                  </select>
                </div>
              )}
              <TextField id={`ap-n-${n.id}`} label="Note" value={note} onInput={setNote} error={p.note} />
            </>
          )}
        </ApiForm>
      )}
    </details>
  );
}

function IssueNotice({
  subject,
  linked,
  stores,
  onDone,
}: {
  subject: Subject;
  linked: SubjectLink[];
  stores: Map<string, Store>;
  onDone: () => void;
}) {
  const [storeIds, setStoreIds] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [servedAt, setServedAt] = useState('');
  const [servedBy, setServedBy] = useState('');
  const [method, setMethod] = useState('in_person');
  const fid = `in-${subject.id}`;
  return (
    <details class="more">
      <summary>Issue an exclusion notice</summary>
      <ApiForm
        label="Issue an exclusion notice"
        submitText="Record notice served"
        fieldIds={{
          storeIds: `${fid}-stores`,
          reason: `${fid}-reason`,
          servedAt: `${fid}-at`,
          servedByName: `${fid}-by`,
        }}
        submit={() =>
          api.post(`/subjects/${subject.id}/exclusion-notices`, {
            storeIds,
            reason: reason.trim(),
            incidentIds: linked.map((l) => l.incidentId),
            servedAt: servedAt ? new Date(servedAt).toISOString() : '',
            servedByName: servedBy.trim(),
            serviceMethod: method,
          })
        }
        onDone={() => {
          setReason('');
          onDone();
        }}
      >
        {(p) => (
          <>
            <fieldset class={`field${p.storeIds ? ' has-error' : ''}`} id={`${fid}-stores`}>
              <legend>Stores the person is excluded from</legend>
              {[...stores.values()].map((s) => (
                <Check
                  key={s.id}
                  id={`${fid}-s-${s.id}`}
                  label={s.name}
                  checked={storeIds.includes(s.id)}
                  onChange={(on) =>
                    setStoreIds(on ? [...storeIds, s.id] : storeIds.filter((x) => x !== s.id))
                  }
                />
              ))}
            </fieldset>
            <TextArea
              id={`${fid}-reason`}
              label="Reason"
              value={reason}
              onInput={setReason}
              rows={2}
              error={p.reason}
              required
            />
            <TextField
              id={`${fid}-at`}
              type="datetime-local"
              label="Served at"
              value={servedAt}
              onInput={setServedAt}
              error={p.servedAt}
              required
            />
            <TextField
              id={`${fid}-by`}
              label="Served by (name)"
              value={servedBy}
              onInput={setServedBy}
              error={p.servedByName}
              required
            />
            <div class="field">
              <label for={`${fid}-m`}>How it was served</label>
              <select
                id={`${fid}-m`}
                value={method}
                onChange={(e) => setMethod((e.currentTarget as HTMLSelectElement).value)}
              >
                <option value="in_person">In person</option>
                <option value="post">By post</option>
                <option value="email">By email</option>
                <option value="other">Other</option>
              </select>
            </div>
          </>
        )}
      </ApiForm>
    </details>
  );
}

// --- serial-offender flags --------------------------------------------------------------------

const FLAG_STATE: Record<string, string> = {
  new: 'New',
  reviewed: 'Reviewed',
  case_opened: 'Case opened',
  dismissed: 'Dismissed',
  withdrawn: 'Withdrawn',
};

function Flags({ stores }: { stores: Map<string, Store> }) {
  const [state, setState] = useState('new');
  const flags = useLoad<Page<SerialFlag>>(`/serial-flags?limit=50${state ? `&state=${state}` : ''}`);
  const subjects = useSubjects();
  return (
    <div>
      <div class="field inline">
        <label for="fl-state">Show</label>
        <select
          id="fl-state"
          value={state}
          onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="new">New</option>
          <option value="reviewed">Reviewed</option>
          <option value="dismissed">Dismissed</option>
          <option value="case_opened">Case opened</option>
          <option value="">All</option>
        </select>
      </div>
      {flags.error && <p class="field-error">{flags.error}</p>}
      {flags.data && !flags.data.items.length && <p class="empty">No flags.</p>}
      <ul class="cards">
        {(flags.data?.items ?? []).map((f) => (
          <FlagCard
            key={f.id}
            f={f}
            subject={subjects.map.get(f.subjectId)}
            stores={stores}
            onDone={flags.reload}
          />
        ))}
      </ul>
    </div>
  );
}

function FlagCard({
  f,
  subject,
  stores,
  onDone,
}: {
  f: SerialFlag;
  subject?: Subject;
  stores: Map<string, Store>;
  onDone: () => void;
}) {
  const [note, setNote] = useState('');
  const fid = `fl-${f.id}`;
  const decide = (to: 'reviewed' | 'dismissed') => () =>
    api.post(`/serial-flags/${f.id}/transitions`, {
      state: to,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  return (
    <li class="flag-card" data-testid="serial-flag" data-state={f.state}>
      <h4>
        {subjectName(subject)} · <span class="status-tag">{FLAG_STATE[f.state] ?? f.state}</span>
      </h4>
      <p>
        {f.incidentIds.length} thefts totalling <strong>{pounds(f.totalPence)}</strong> between{' '}
        {when(f.windowFrom)} and {when(f.windowTo)} at{' '}
        {f.storeIds.map((s) => stores.get(s)?.name ?? 'a store').join(', ')}.
      </p>
      <div class="legal" role="note" data-testid="legal-consequence">
        <strong>Legal consequence:</strong> {f.legalConsequence}
      </div>
      {f.decisionNote && <p class="meta">Decision: {f.decisionNote}</p>}
      {(f.state === 'new' || f.state === 'reviewed') && (
        <div>
          <TextArea
            id={`${fid}-note`}
            label="Note (required to dismiss)"
            value={note}
            onInput={setNote}
            rows={2}
          />
          <div class="actions">
            {f.state === 'new' && (
              <ApiForm
                label="Mark reviewed"
                submitText="Mark reviewed"
                submit={decide('reviewed')}
                onDone={onDone}
              >
                {() => null}
              </ApiForm>
            )}
            <ApiForm
              label="Dismiss"
              submitText="Dismiss flag"
              fieldIds={{ note: `${fid}-note` }}
              submit={decide('dismissed')}
              onDone={onDone}
            >
              {() => null}
            </ApiForm>
          </div>
          <p class="hint">Police open a case from a flag; marking it reviewed makes it ready for them.</p>
        </div>
      )}
      <p class="meta">
        Flag {shortId(f.id)} · raised {when(f.createdAt)}
      </p>
    </li>
  );
}
