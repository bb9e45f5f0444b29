// Analyst organisations and API keys: share the partnership's aggregate statistics with a union or
// retailer, and issue its analysts a read-only key (shown once; it reads only this partnership).
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ActionButton, ApiForm, useFormValues, useLoad } from '../ui/data';
import { Select, TextField } from '../ui/fields';
import { when } from '../ui/labels';
import type { AnalystKey, IssuedAnalystKey, Organisation } from './types';

const KINDS: [Organisation['kind'], string][] = [
  ['union', 'Union'],
  ['retailer', 'Retailer'],
  ['other', 'Other'],
];

export function AnalystKeysPage() {
  const orgs = useLoad<Organisation[]>('/organisations');
  const keys = useLoad<AnalystKey[]>('/analyst-keys');
  const [issued, setIssued] = useState<IssuedAnalystKey | null>(null);
  const list = orgs.data ?? [];
  const shared = list.filter((o) => o.shared);
  const orgName = (id: string) => list.find((o) => o.id === id)?.name ?? '—';
  return (
    <>
      <h2>Organisations</h2>
      {orgs.error && <p class="field-error">{orgs.error}</p>}
      <ul class="plain" data-testid="organisations">
        {list.map((o) => (
          <li key={o.id} class="row-actions">
            <span>
              <strong>{o.name}</strong> · {o.shared ? 'sees our statistics' : 'not shared'}
            </span>
            <ActionButton
              label={`${o.shared ? 'Stop sharing with' : 'Share statistics with'} ${o.name}`}
              text={o.shared ? 'Stop sharing' : 'Share statistics'}
              submit={() => api.request(o.shared ? 'DELETE' : 'PUT', `/stats/shares/${o.id}`)}
              onDone={orgs.reload}
            />
          </li>
        ))}
      </ul>
      <h3>Add an organisation</h3>
      <OrganisationForm onDone={orgs.reload} />

      <h2>API keys</h2>
      {shared.length ? (
        <IssueForm organisations={shared} onIssued={(k) => (setIssued(k), keys.reload())} />
      ) : (
        <p class="hint">Share statistics with an organisation first; a key reads only what is shared.</p>
      )}
      {issued && (
        <div class="shown-once" role="status" data-testid="issued-key">
          <h3>Key for {orgName(issued.organisationId)}</h3>
          <p>Shown only now. The analyst sends it as <code>Authorization: ApiKey …</code> to the statistics routes.</p>
          <code data-testid="issued-secret">{issued.secret}</code>
        </div>
      )}
      <ul class="plain" data-testid="analyst-keys">
        {keys.data?.map((k) => (
          <li key={k.id} class="row-actions" data-testid="analyst-key">
            <span>
              <strong>{k.label}</strong> · {orgName(k.organisationId)} · issued {when(k.createdAt)} · last used {when(k.lastUsedAt)}
              {k.revoked && ' · revoked'}
            </span>
            {!k.revoked && (
              <ActionButton label={`Revoke ${k.label}`} text="Revoke" submit={() => api.request('DELETE', `/analyst-keys/${k.id}`)} onDone={keys.reload} />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function OrganisationForm({ onDone }: { onDone: () => void }) {
  const text = useFormValues({ name: '' });
  const [kind, setKind] = useState<Organisation['kind']>('union');
  return (
    <ApiForm
      label="Add an organisation"
      submitText="Add organisation"
      fieldIds={{ name: 'org-name', kind: 'org-kind' }}
      submit={() => api.post('/organisations', { name: text.values.name.trim(), kind })}
      onDone={() => (text.clear('name'), onDone())}
    >
      {(problems) => (
        <div class="grid-2">
          <TextField id="org-name" label="Organisation name" {...text.field('name', problems)} required />
          <Select id="org-kind" label="Kind" value={kind} options={KINDS} onChange={setKind} error={problems.kind} />
        </div>
      )}
    </ApiForm>
  );
}

function IssueForm({ organisations, onIssued }: { organisations: Organisation[]; onIssued: (k: IssuedAnalystKey) => void }) {
  const text = useFormValues({ label: '' });
  const [organisationId, setOrganisationId] = useState(organisations[0].id);
  return (
    <ApiForm
      label="Issue an API key"
      submitText="Issue key"
      fieldIds={{ organisationId: 'key-org', label: 'key-label' }}
      submit={async () => onIssued(await api.post<IssuedAnalystKey>('/analyst-keys', { organisationId, label: text.values.label.trim() }))}
      onDone={() => text.clear('label')}
    >
      {(problems) => (
        <div class="grid-2">
          <Select
            id="key-org"
            label="For"
            value={organisationId}
            options={organisations.map((o): [string, string] => [o.id, o.name])}
            onChange={setOrganisationId}
            error={problems.organisationId}
          />
          <TextField id="key-label" label="Key name" hint="Who uses it, for example: research team" {...text.field('label', problems)} required />
        </div>
      )}
    </ApiForm>
  );
}
