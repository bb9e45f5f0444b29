// Incident review for coordinators: new and reviewed reports, each at its own address
// (#/console/incidents/<id>), marked reviewed or linked to a subject by a person.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Incident, Page, Store } from '../api/types';
import { ApiForm, LoadStatus, NotLoaded, optionalText, useFormValues, useLoad, useSubmit } from '../ui/data';
import { Select, TextField } from '../ui/fields';
import { IncidentDetail } from '../ui/incident-detail';
import { typeLabel, when } from '../ui/labels';
import { href, navigate, type OpenedObject, useRouteId } from '../ui/route';
import { subjectName, useSubjects } from './subjects/use-subjects';

const SHOWN_STATUSES = [
  ['submitted', 'New reports'],
  ['reviewed', 'Reviewed'],
  ['', 'All'],
] as const;

export function IncidentReview({ stores }: { stores: Map<string, Store> }) {
  const [filter, setFilter] = useState<string>('submitted');
  const list = useLoad<Page<Incident>>(`/incidents?limit=50${filter ? `&status=${filter}` : ''}`);
  const openId = useRouteId('console', 'incidents');
  const items = list.data?.items;
  return (
    <div class="review">
      <Select
        id="rv-status"
        label="Show"
        inline
        value={filter}
        options={SHOWN_STATUSES}
        onChange={setFilter}
      />
      <LoadStatus load={list} empty="Nothing here." alert />
      {items && items.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">Reports</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Store</th>
              <th scope="col">What</th>
              <th scope="col">
                <span class="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="incident-row">
                <td>{when(i.occurredAt)}</td>
                <td>{stores.get(i.storeId)?.name ?? '—'}</td>
                <td>{i.types.map(typeLabel).join(', ')}</td>
                <td>
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => navigate('console', 'incidents', i.id)}
                  >
                    Open<span class="visually-hidden"> report from {when(i.occurredAt)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {openId && <IncidentDrawer key={openId} id={openId} stores={stores} onChanged={list.reload} />}
    </div>
  );
}

function IncidentDrawer({ id, stores, onChanged }: OpenedObject) {
  const incident = useLoad<Incident>(`/incidents/${id}`);
  const review = useSubmit();
  const open = incident.data;
  const markReviewed = async (i: Incident) => {
    if (
      await review.run(() =>
        api.post(`/incidents/${i.id}/transitions`, { version: i.version, to: 'reviewed' }),
      )
    ) {
      incident.reload();
      onChanged();
    }
  };
  return (
    <div class="drawer" role="region" aria-label="Report">
      {open ? (
        <>
          {review.error && (
            <p class="field-error" role="alert">
              {review.error}
            </p>
          )}
          <IncidentDetail incident={open} stores={stores} />
          <details class="more">
            <summary>Link to a subject</summary>
            <LinkToSubject incident={open} />
          </details>
        </>
      ) : (
        <NotLoaded load={incident} what="report" listHref={href('console')} />
      )}
      <div class="actions">
        {open?.status === 'submitted' && (
          <button
            type="button"
            class="primary"
            disabled={review.busy}
            onClick={() => void markReviewed(open)}
          >
            Mark reviewed
          </button>
        )}
        <button type="button" class="secondary" onClick={() => navigate('console')}>
          Close
        </button>
      </div>
    </div>
  );
}

/** Link a report to a subject (a person decides; nothing is automatic). */
function LinkToSubject({ incident }: { incident: Incident }) {
  const subjects = useSubjects();
  const [subjectId, setSubjectId] = useState('');
  const text = useFormValues({ note: '' });
  const named = incident.offenderId;
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
          ...optionalText('note', text.values.note),
        });
      }}
      onDone={() => text.clear('note')}
    >
      {(p) => (
        <>
          {named && <p class="meta">The reporter named subject {subjectName(subjects.map.get(named))}.</p>}
          <Select
            id="ls-subject"
            label="Subject"
            value={subjectId}
            options={[
              ['', 'Choose…'],
              ...(subjects.data?.items ?? []).map((s) => [s.id, subjectName(s)] as const),
            ]}
            onChange={setSubjectId}
          />
          <TextField id="ls-note" label="Why you are sure (optional note)" {...text.field('note', p)} />
        </>
      )}
    </ApiForm>
  );
}
