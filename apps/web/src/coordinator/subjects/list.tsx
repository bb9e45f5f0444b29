// The subjects list; choosing one opens it at its own address (#/console/subjects/<id>).
import { useState } from 'preact/hooks';
import type { Store } from '../../api/types';
import { LoadStatus } from '../../ui/data';
import { navigate } from '../../ui/route';
import { SubjectView } from './detail';
import { NewSubject } from './form';
import { subjectName, useSubjects } from './use-subjects';

export function Subjects({ stores, openId }: { stores: Map<string, Store>; openId: string | null }) {
  const subjects = useSubjects();
  const [creating, setCreating] = useState(false);
  return (
    <div class="subjects">
      <LoadStatus load={subjects} empty="No subjects yet." />
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
      <ul class="cards">
        {(subjects.data?.items ?? []).map((s) => (
          <li key={s.id} class={openId === s.id ? 'sel' : ''} data-testid="subject-row">
            <button
              type="button"
              class="card-row"
              aria-pressed={openId === s.id}
              onClick={() => (openId === s.id ? navigate('console') : navigate('console', 'subjects', s.id))}
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
      {openId && <SubjectView key={openId} id={openId} stores={stores} onChanged={subjects.reload} />}
    </div>
  );
}
