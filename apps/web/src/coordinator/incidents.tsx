// Incident review for coordinators: reports searched and filtered, a page at a time, each at its own
// address (#/console/incidents/<id>), marked reviewed or linked to a subject by a person.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Incident, Page, Store, Subject } from '../api/types';
import { ApiForm, LoadStatus, NotLoaded, optionalText, useFormValues, useLoad, useSubmit } from '../ui/data';
import { Select, TextField } from '../ui/fields';
import { IncidentDetail } from '../ui/incident-detail';
import {
  IncidentFilters,
  type IncidentFilter,
  IncidentRow,
  incidentsPath,
  NO_FILTER,
} from '../ui/incident-list';
import { listPath, LoadMore, SearchBox, usePaged } from '../ui/paged';
import { ScrollIntoView } from '../ui/scroll';
import { href, navigate, type OpenedObject } from '../ui/route';
import { subjectName, useSubjects } from './subjects/use-subjects';

const STATUSES = [
  ['submitted', 'New reports'],
  ['reviewed', 'Reviewed'],
  ['closed', 'Closed'],
  ['', 'Every status'],
] as const;

export function IncidentReview({ stores, openId }: { stores: Map<string, Store>; openId: string | null }) {
  const [filter, setFilter] = useState<IncidentFilter>({ ...NO_FILTER, status: 'submitted' });
  const list = usePaged<Incident>(incidentsPath(filter));
  const items = list.data?.items;
  return (
    <div class="review">
      <IncidentFilters
        idPrefix="rv"
        filter={filter}
        onChange={setFilter}
        stores={stores}
        statuses={STATUSES}
        problems={list.problems}
      />
      <LoadStatus load={list} empty={filter.q ? 'No report matches the search.' : 'Nothing here.'} alert />
      {items && items.length > 0 && (
        <ul class="cards" aria-label={filter.q ? 'Reports, best match first' : 'Reports, newest first'}>
          {items.map((i) => (
            <li key={i.id} class={openId === i.id ? 'sel' : ''} data-testid="incident-row">
              <IncidentRow
                incident={i}
                stores={stores}
                selected={openId === i.id}
                onOpen={() => navigate('console', 'incidents', i.id)}
              />
            </li>
          ))}
        </ul>
      )}
      <LoadMore list={list} what={['report', 'reports']} />
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
      <ScrollIntoView />
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
        <NotLoaded load={incident} what="report" listHref={href('console', 'incidents')} />
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
        <button type="button" class="secondary" onClick={() => navigate('console', 'incidents')}>
          Close
        </button>
      </div>
    </div>
  );
}

/** Link a report to a subject (a person decides; nothing is automatic). */
function LinkToSubject({ incident }: { incident: Incident }) {
  const subjects = useSubjects();
  // past the first page of subjects, the one to choose is found by a search
  const [q, setQ] = useState('');
  const found = useLoad<Page<Subject>>(q ? listPath('/subjects', { limit: 50, q }) : null);
  const choices = (q ? found.data?.items : subjects.data?.items) ?? [];
  const [subjectId, setSubjectId] = useState('');
  const text = useFormValues({ note: '' });
  const named = incident.offenderId;
  if (subjects.data && !subjects.data.items.length) {
    return <p class="empty">No subjects yet: create one under Subjects.</p>;
  }
  return (
    <>
      <SearchBox
        id="ls-q"
        label="Find the subject"
        hint="A name, alias or reference"
        value={q}
        onSearch={(words) => {
          setQ(words);
          setSubjectId('');
        }}
        error={found.error}
      />
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
              options={[['', 'Choose…'], ...choices.map((s) => [s.id, subjectName(s)] as const)]}
              onChange={setSubjectId}
            />
            <TextField id="ls-note" label="Why you are sure (optional note)" {...text.field('note', p)} />
          </>
        )}
      </ApiForm>
    </>
  );
}
