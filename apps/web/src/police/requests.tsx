// Evidence requests on a case: what the store was asked, its answers, and asking for more.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { EvidenceKind, EvidenceRequest, Incident, PoliceCase, Store } from '../api/types';
import { ApiForm, LoadStatus, useFormValues, useLoad } from '../ui/data';
import { ExhibitGallery } from '../ui/exhibits';
import { Select, TextArea, TextField } from '../ui/fields';
import { when } from '../ui/labels';
import { KINDS, kindLabel } from './labels';

export function EvidenceRequests({
  c,
  incidents,
  stores,
  onDone,
}: {
  c: PoliceCase;
  incidents: Incident[];
  stores: Map<string, Store>;
  onDone: () => void;
}) {
  const list = useLoad<{ items: EvidenceRequest[] }>(`/cases/${c.id}/evidence-requests`);
  const [incidentId, setIncidentId] = useState('');
  const [kind, setKind] = useState<EvidenceKind>('cctv');
  const text = useFormValues({ message: '', dueOn: '' });
  const target = incidentId || incidents[0]?.id || '';
  return (
    <div>
      <LoadStatus load={list} empty="No requests yet." />
      <ul class="requests">
        {(list.data?.items ?? []).map((r) => (
          <li key={r.id} class={`request ${r.status}`} data-testid="case-request" data-status={r.status}>
            <strong>{kindLabel(r.kind)}</strong> from {stores.get(r.storeId)?.name ?? 'the store'} · asked{' '}
            {when(r.createdAt)}
            {r.dueOn && ` · due ${r.dueOn}`}
            <p>{r.message}</p>
            {r.status === 'open' ? (
              <p class="meta">Waiting for the store.</p>
            ) : (
              <div class="answer">
                <strong>{r.status === 'declined' ? 'Declined' : 'Answered'}</strong> {when(r.answeredAt)}
                {r.answerText && <p class="narrative">{r.answerText}</p>}
                {(r.exhibitIds.length > 0 || r.statementIds.length > 0) && (
                  <p class="meta">
                    {r.exhibitIds.length} exhibit(s), {r.statementIds.length} statement(s) attached
                  </p>
                )}
                {r.exhibitIds.length > 0 && <ExhibitGallery incidentId={r.incidentId} only={r.exhibitIds} />}
              </div>
            )}
          </li>
        ))}
      </ul>
      <button type="button" class="secondary small" onClick={list.reload}>
        Check for answers
      </button>
      <h3>Ask the store for evidence</h3>
      <ApiForm
        label="Ask the store for evidence"
        submitText="Send request"
        fieldIds={{ incidentId: 'er-incident', kind: 'er-kind', message: 'er-message', dueOn: 'er-due' }}
        submit={() => {
          const { message, dueOn } = text.values;
          return api.post(`/cases/${c.id}/evidence-requests`, {
            incidentId: target,
            kind,
            message: message.trim(),
            ...(dueOn ? { dueOn } : {}),
          });
        }}
        onDone={() => {
          text.clear('message', 'dueOn');
          list.reload();
          onDone();
        }}
      >
        {(p) => (
          <>
            <div class="row">
              <Select
                id="er-incident"
                label="Report"
                value={target}
                options={incidents.map(
                  (i) => [i.id, `${when(i.occurredAt)} · ${stores.get(i.storeId)?.name ?? 'store'}`] as const,
                )}
                onChange={setIncidentId}
                error={p.incidentId}
              />
              <Select id="er-kind" label="What you need" value={kind} options={KINDS} onChange={setKind} />
            </div>
            <TextArea
              id="er-message"
              label="Message to the store"
              {...text.field('message', p)}
              rows={3}
              required
            />
            <TextField id="er-due" type="date" label="Needed by (optional)" {...text.field('dueOn', p)} />
          </>
        )}
      </ApiForm>
    </div>
  );
}
