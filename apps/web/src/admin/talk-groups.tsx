// Talk groups: named sets of stores an alert can be sent to (a street, a shopping centre).
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ApiForm, useFormValues, useLoad } from '../ui/data';
import { CheckGroup, TextField } from '../ui/fields';
import type { TalkGroup } from './types';
import { useStoreList } from './users';

export function TalkGroupsPage() {
  const groups = useLoad<TalkGroup[]>('/talk-groups');
  const { stores } = useStoreList();
  const text = useFormValues({ name: '' });
  return (
    <>
      {groups.error && <p class="field-error">{groups.error}</p>}
      {groups.data && !groups.data.length && <p class="empty">No talk groups yet.</p>}
      {groups.data?.map((g) => (
        <GroupStores key={g.id} group={g} stores={stores} onDone={groups.reload} />
      ))}
      <h2>Add a talk group</h2>
      <ApiForm
        label="Add a talk group"
        submitText="Add talk group"
        fieldIds={{ name: 'tg-name' }}
        submit={() => api.post('/talk-groups', { name: text.values.name.trim() })}
        onDone={() => (text.clear('name'), groups.reload())}
      >
        {(problems) => <TextField id="tg-name" label="Talk group name" {...text.field('name', problems)} required />}
      </ApiForm>
    </>
  );
}

function GroupStores({ group, stores, onDone }: { group: TalkGroup; stores: { id: string; name: string }[]; onDone: () => void }) {
  const [chosen, setChosen] = useState(group.storeIds);
  return (
    <section aria-labelledby={`tg-${group.id}`} data-testid="talk-group">
      <h2 id={`tg-${group.id}`}>{group.name}</h2>
      <ApiForm
        label={`Stores in ${group.name}`}
        submitText="Save stores"
        submit={() => api.request('PUT', `/talk-groups/${group.id}/stores`, { body: { storeIds: chosen } })}
        onDone={onDone}
      >
        {(problems) => (
          <CheckGroup
            id={`tg-stores-${group.id}`}
            legend="Stores that hear this group"
            options={stores.map((s): [string, string] => [s.id, s.name])}
            selected={chosen}
            onChange={setChosen}
            error={problems.storeIds}
          />
        )}
      </ApiForm>
    </section>
  );
}
