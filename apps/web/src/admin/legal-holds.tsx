// Legal holds: while a report or alert is on hold, retention never erases it (litigation, a police
// request to preserve, a subject access request being answered).
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ActionButton, ApiForm, LoadStatus, shortId, useFormValues, useLoad } from '../ui/data';
import { Select, TextArea, TextField } from '../ui/fields';
import { when } from '../ui/labels';
import type { LegalHold } from './types';

const KINDS: [LegalHold['objectType'], string][] = [
  ['incident', 'Report'],
  ['alert', 'Radio alert'],
];
const IDS = { objectType: 'h-kind', objectId: 'h-id', reason: 'h-reason' };
/** an id, or an address that ends with one (#/console/incidents/<id>) */
const idIn = (text: string) => /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(text)?.[0] ?? text.trim();

export function LegalHoldsPage() {
  const holds = useLoad<{ items: LegalHold[] }>('/legal-holds');
  const text = useFormValues({ objectId: '', reason: '' });
  const [objectType, setObjectType] = useState<LegalHold['objectType']>('incident');
  return (
    <>
      <h2>Place a hold</h2>
      <ApiForm
        label="Place a legal hold"
        submitText="Place hold"
        fieldIds={IDS}
        submit={() =>
          api.post('/legal-holds', { objectType, objectId: idIn(text.values.objectId), reason: text.values.reason.trim() })
        }
        onDone={() => (text.clear('objectId', 'reason'), holds.reload())}
      >
        {(problems) => (
          <>
            <div class="grid-2">
              <Select id={IDS.objectType} label="Record" value={objectType} options={KINDS} onChange={setObjectType} error={problems.objectType} />
              <TextField id={IDS.objectId} label="Its reference" hint="The id, or the record’s address copied from the console." {...text.field('objectId', problems)} required />
            </div>
            <TextArea id={IDS.reason} label="Why it must be kept" rows={2} {...text.field('reason', problems)} required />
          </>
        )}
      </ApiForm>
      <h2>Holds in force</h2>
      <LoadStatus load={holds} empty="Nothing is on hold." />
      <ul class="plain" data-testid="legal-holds">
        {holds.data?.items.map((h) => (
          <li key={h.id} data-testid="legal-hold">
            <strong>
              {KINDS.find(([k]) => k === h.objectType)?.[1]} {shortId(h.objectId)}
            </strong>{' '}
            · placed {when(h.createdAt)} · {h.reason}
            <ActionButton label={`Release the hold on ${shortId(h.objectId)}`} text="Release" submit={() => api.request('DELETE', `/legal-holds/${h.id}`)} onDone={holds.reload} />
          </li>
        ))}
      </ul>
    </>
  );
}
