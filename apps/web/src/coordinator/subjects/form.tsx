// A new subject: what anyone could see, and the reports that are the reason for creating it.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Incident, Page, Subject } from '../../api/types';
import { ApiForm, useFormValues, useLoad } from '../../ui/data';
import { Check, CheckGroup, Select, TextArea, TextField } from '../../ui/fields';
import { typeLabel, when } from '../../ui/labels';

const EMPTY_DESCRIPTION = {
  apparentAgeRange: '',
  height: '',
  build: '',
  hair: '',
  usualClothing: '',
  distinguishingMarks: '',
};
type DescriptionKey = keyof typeof EMPTY_DESCRIPTION;

/** [field, input id, label]: the short ones side by side, the long ones below. */
const SHORT: [DescriptionKey, string, string][] = [
  ['apparentAgeRange', 'ns-age', 'Apparent age range'],
  ['height', 'ns-height', 'Height'],
  ['build', 'ns-build', 'Build'],
  ['hair', 'ns-hair', 'Hair'],
];
const LONG: [DescriptionKey, string, string][] = [
  ['usualClothing', 'ns-clothing', 'Usual clothing'],
  ['distinguishingMarks', 'ns-marks', 'Distinguishing marks'],
];

const KINDS = [
  ['id_sought', 'Identity sought'],
  ['known', 'Known (named)'],
] as const;

export function NewSubject({ onCreated }: { onCreated: (id: string) => void }) {
  const recent = useLoad<Page<Incident>>('/incidents?limit=50');
  const [kind, setKind] = useState<'id_sought' | 'known'>('id_sought');
  const text = useFormValues({ name: '', reason: '', ...EMPTY_DESCRIPTION });
  const [juvenile, setJuvenile] = useState(false);
  const [incidents, setIncidents] = useState<string[]>([]);
  const describe =
    (p: Record<string, string>) =>
    ([key, id, label]: [DescriptionKey, string, string]) => (
      <TextField key={key} id={id} label={label} {...text.field(key, p, `description.${key}`)} />
    );
  return (
    <div class="drawer">
      <h3>New subject</h3>
      <ApiForm
        label="New subject"
        submitText="Create subject"
        fieldIds={{ name: 'ns-name', reason: 'ns-reason' }}
        submit={async () => {
          const { name, reason } = text.values;
          if (reason.trim().length < 3) {
            throw new Error('Give the reason for creating this subject (it is kept with each linked report)');
          }
          if (!incidents.length) {
            throw new Error('Choose at least one report this person was involved in');
          }
          const description = Object.fromEntries(
            (Object.keys(EMPTY_DESCRIPTION) as DescriptionKey[])
              .filter((k) => text.values[k].trim())
              .map((k) => [k, text.values[k].trim()]),
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
            <Select id="ns-kind" label="Kind" value={kind} options={KINDS} onChange={setKind} />
            {kind === 'known' && <TextField id="ns-name" label="Name" {...text.field('name', p)} required />}
            <p class="hint">
              Describe what anyone could see. Never record ethnicity, religion, health, sexuality, politics or
              union membership.
            </p>
            <div class="row">{SHORT.map(describe(p))}</div>
            {LONG.map(describe(p))}
            <Check
              id="ns-juvenile"
              label="Under 18 or otherwise vulnerable"
              checked={juvenile}
              onChange={setJuvenile}
            />
            <TextArea
              id="ns-reason"
              label="Reason for creating this subject"
              {...text.field('reason', p, 'note')}
              rows={2}
              required
            />
            <CheckGroup
              id="ns-i"
              legend="Reports this person was involved in *"
              options={(recent.data?.items ?? []).map((i) => [
                i.id,
                `${when(i.occurredAt)} · ${i.types.map(typeLabel).join(', ')} · ${i.narrative.slice(0, 60)}`,
              ])}
              selected={incidents}
              onChange={setIncidents}
            />
          </>
        )}
      </ApiForm>
    </div>
  );
}
