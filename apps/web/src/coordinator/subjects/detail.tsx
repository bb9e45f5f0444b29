// One subject at its own address: images, description, linked and suggested reports, gallery
// listings and exclusion notices.
import { useState } from 'preact/hooks';
import { api, describeError } from '../../api/client';
import type { ExclusionNotice, Gallery, Incident, Subject, SubjectLink, Suggestion } from '../../api/types';
import {
  ApiForm,
  FileUploadForm,
  LoadStatus,
  NotLoaded,
  SubjectPhoto,
  useFormValues,
  useLoad,
  useSubmit,
} from '../../ui/data';
import { Select, TextArea } from '../../ui/fields';
import { pounds, when } from '../../ui/labels';
import { href, type OpenedObject } from '../../ui/route';
import { IssueNotice, NoticeList } from '../exclusions';
import { subjectName } from './use-subjects';

export function SubjectView({ id, stores, onChanged }: OpenedObject) {
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
    return <NotLoaded load={subject} what="subject" listHref={href('console', 'subjects')} />;
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
      <FileUploadForm
        label="Add an image"
        submitText="Add image"
        path={`/subjects/${s.id}/images`}
        inputId={`img-${s.id}`}
        inputLabel="Image (JPEG or PNG; location and camera details are removed)"
        accept="image/jpeg,image/png"
        noFile="Choose an image file"
        onDone={refresh}
      />
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
      <LoadStatus load={suggestions} empty="No suggestions." />
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
  const [readError, setReadError] = useState<string | null>(null);
  const accept = useSubmit();
  const link = async () => {
    const linked = await accept.run(() =>
      api.post(`/subjects/${subjectId}/incidents`, {
        incidentId: g.incidentId,
        note: `Accepted suggestion: ${g.reasons.join(', ')}`,
      }),
    );
    if (linked) {
      onDone();
    }
  };
  const error = accept.error ?? readError;
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
                .then(setIncident, (e: unknown) => setReadError(describeError(e)))
            }
          >
            Read the report
          </button>
        )}
        <button type="button" class="primary small" disabled={accept.busy} onClick={() => void link()}>
          Link this report
        </button>
      </div>
    </li>
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
  const galleries = useLoad<{ items: Gallery[] }>('/galleries?limit=200');
  const [galleryId, setGalleryId] = useState('');
  const text = useFormValues({ reason: '' });
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
          reason: text.values.reason.trim(),
          incidentIds: linked.map((l) => l.incidentId),
        })
      }
      onDone={() => {
        text.clear('reason');
        onDone();
      }}
    >
      {(p) => (
        <>
          <Select
            id={`pl-g-${subject.id}`}
            label="Gallery"
            value={target}
            options={(galleries.data?.items ?? []).map((g) => [g.id, g.name] as const)}
            onChange={setGalleryId}
          />
          <TextArea
            id={`pl-reason-${subject.id}`}
            label="Reason for listing (resting on the linked reports)"
            {...text.field('reason', p)}
            error={p.reason ?? p.incidentIds}
            rows={2}
          />
        </>
      )}
    </ApiForm>
  );
}
