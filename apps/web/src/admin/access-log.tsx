// The access log (DPA 2018 s.62): who consulted, changed, disclosed or erased what, newest first,
// and a check that its hash chain is unbroken.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { ApiForm, LoadStatus, shortId, TableWrap, useLoad } from '../ui/data';
import { Select } from '../ui/fields';
import { when } from '../ui/labels';
import type { AccessLogEntry, ChainVerdict, User } from './types';

const OBJECT_TYPES: [string, string][] = [
  ['', 'Everything'],
  ['incident', 'Reports'],
  ['subject', 'Subjects'],
  ['user', 'Users'],
  ['case', 'Police cases'],
  ['evidence_pack', 'Evidence packs'],
  ['exclusion_notice', 'Exclusion notices'],
  ['subject_access', 'Subject access'],
];

export function AccessLogPage() {
  const [objectType, setObjectType] = useState('');
  const [before, setBefore] = useState<string[]>([]);
  const query = new URLSearchParams({ limit: '50', ...(objectType ? { objectType } : {}) });
  if (before.length) {
    query.set('beforeSeq', before[before.length - 1]);
  }
  const log = useLoad<{ items: AccessLogEntry[] }>(`/access-log?${query}`);
  const users = useLoad<Page<User>>('/users?limit=200');
  const who = (e: AccessLogEntry) =>
    e.actorId ? (users.data?.items.find((u) => u.id === e.actorId)?.displayName ?? `${e.actorKind} ${shortId(e.actorId)}`) : e.actorKind;
  const items = log.data?.items ?? [];
  return (
    <>
      <VerifyChain />
      <h2>Entries, newest first</h2>
      <Select
        id="log-type"
        label="Show"
        value={objectType}
        options={OBJECT_TYPES}
        onChange={(t) => (setObjectType(t), setBefore([]))}
      />
      <LoadStatus load={log} empty="No entries." />
      {items.length > 0 && (
        <TableWrap label="Access log">
          <table class="table" data-testid="access-log">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Did</th>
                <th scope="col">To</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{when(e.at)}</td>
                  <td>{who(e)}</td>
                  <td>{e.action}</td>
                  <td>
                    {e.objectType} {e.objectId ? shortId(e.objectId) : ''}
                    {e.justification && <span class="meta">{e.justification}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <div class="row-actions">
        {before.length > 0 && (
          <button type="button" class="secondary" onClick={() => setBefore(before.slice(0, -1))}>
            Newer entries
          </button>
        )}
        {items.length === 50 && (
          <button type="button" class="secondary" onClick={() => setBefore([...before, items[items.length - 1].seq])}>
            Older entries
          </button>
        )}
      </div>
    </>
  );
}

function VerifyChain() {
  const [verdict, setVerdict] = useState<ChainVerdict | null>(null);
  return (
    <>
      <ApiForm
        label="Verify the access log"
        submitText="Verify chain"
        busyText="Verifying…"
        submit={async () => setVerdict(await api.get<ChainVerdict>('/access-log/verify'))}
      >
        {() => <p class="hint">Recomputes every entry’s hash from the first; any change to an entry breaks the chain.</p>}
      </ApiForm>
      {verdict && (
        <p class={verdict.valid ? 'ok-text' : 'field-error'} role="status" data-testid="chain-verdict">
          {verdict.valid
            ? `The chain is intact: ${verdict.entries} entries checked.`
            : `The chain is broken at entry ${verdict.brokenAt} (${verdict.entries} entries checked).`}
        </p>
      )}
    </>
  );
}
