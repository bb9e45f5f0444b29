// Serial-offender flags: the thefts a flag rests on, its legal consequence, and a coordinator's
// review or dismissal (police open a case from a reviewed flag).
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { SerialFlag, Store, Subject } from '../api/types';
import { ActionButton, LoadStatus, optionalText, shortId } from '../ui/data';
import { listPath, LoadMore, usePaged } from '../ui/paged';
import { Select, TextArea } from '../ui/fields';
import { pounds, when } from '../ui/labels';
import { subjectName, useSubjects } from './subjects/use-subjects';

const FLAG_STATE: Record<string, string> = {
  new: 'New',
  reviewed: 'Reviewed',
  case_opened: 'Case opened',
  dismissed: 'Dismissed',
  withdrawn: 'Withdrawn',
};

const SHOWN_STATES = [
  ['new', 'New'],
  ['reviewed', 'Reviewed'],
  ['dismissed', 'Dismissed'],
  ['case_opened', 'Case opened'],
  ['', 'All'],
] as const;

export function Flags({ stores }: { stores: Map<string, Store> }) {
  const [state, setState] = useState<string>('new');
  const flags = usePaged<SerialFlag>(listPath('/serial-flags', { limit: 50, state }));
  const subjects = useSubjects();
  return (
    <div>
      <Select id="fl-state" label="Show" inline value={state} options={SHOWN_STATES} onChange={setState} />
      <LoadStatus load={flags} empty="No flags." />
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
      <LoadMore list={flags} what={['flag', 'flags']} />
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
    api.post(`/serial-flags/${f.id}/transitions`, { state: to, ...optionalText('note', note) });
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
              <ActionButton
                label="Mark reviewed"
                text="Mark reviewed"
                submit={decide('reviewed')}
                onDone={onDone}
              />
            )}
            <ActionButton
              label="Dismiss"
              text="Dismiss flag"
              fieldIds={{ note: `${fid}-note` }}
              submit={decide('dismissed')}
              onDone={onDone}
            />
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
