// The subjects list, searched by name, alias (misspelt too), reference or description, a page at a
// time; choosing one opens it at its own address (#/console/subjects/<id>).
import { useState } from 'preact/hooks';
import type { Store, Subject } from '../../api/types';
import { LoadStatus } from '../../ui/data';
import { listPath, LoadMore, SearchBox, usePaged } from '../../ui/paged';
import { navigate } from '../../ui/route';
import { ScrollIntoView } from '../../ui/scroll';
import { SubjectView } from './detail';
import { NewSubject } from './form';
import { subjectName } from './use-subjects';

export function Subjects({ stores, openId }: { stores: Map<string, Store>; openId: string | null }) {
  const [q, setQ] = useState('');
  const subjects = usePaged<Subject>(listPath('/subjects', { limit: 50, q }));
  const [creating, setCreating] = useState(false);
  return (
    <div class="subjects">
      <SearchBox
        id="sj-q"
        label="Search subjects"
        hint="A name or alias (close spellings match), a reference such as S-7F3A, or words of the description"
        value={q}
        error={subjects.problems.q}
        onSearch={setQ}
      />
      <LoadStatus load={subjects} empty={q ? 'No subject matches the search.' : 'No subjects yet.'} />
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
            navigate('console', 'subjects', id);
          }}
        />
      )}
      <ul class="cards" aria-label={q ? 'Subjects, best match first' : 'Subjects, newest first'}>
        {(subjects.data?.items ?? []).map((s) => (
          <li key={s.id} class={openId === s.id ? 'sel' : ''} data-testid="subject-row">
            <button
              type="button"
              class="card-row"
              aria-pressed={openId === s.id}
              onClick={() =>
                openId === s.id ? navigate('console', 'subjects') : navigate('console', 'subjects', s.id)
              }
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
      <LoadMore list={subjects} what={['subject', 'subjects']} />
      {openId && (
        <div>
          <ScrollIntoView />
          <SubjectView key={openId} id={openId} stores={stores} onChanged={subjects.reload} />
        </div>
      )}
    </div>
  );
}
