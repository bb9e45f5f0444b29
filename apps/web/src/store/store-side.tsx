// The store's side of police cases: evidence requests to answer, and what happened to cases built
// from the store's reports, in plain words.
import { useState } from 'preact/hooks';
import { api, type Session } from '../api/client';
import type { CaseUpdate, EvidenceRequest, Exhibit, Page } from '../api/types';
import { CASE_STATUS, kindLabel } from '../police/labels';
import { ApiForm, useLoad } from '../ui/data';
import { ExhibitGallery } from '../ui/exhibits';
import { Check, CheckGroup, Select, TextArea, TextField } from '../ui/fields';
import { when } from '../ui/labels';

interface Statement {
  id: string;
  witnessName: string;
  version: number;
}

const SHOWN = [
  ['open', 'Waiting for an answer'],
  ['answered', 'Answered'],
  ['declined', 'Declined'],
  ['', 'All'],
] as const;

export function EvidenceRequests(_: { session: Session }) {
  const [status, setStatus] = useState<string>('open');
  const list = useLoad<Page<EvidenceRequest>>(
    `/evidence-requests?limit=50${status ? `&status=${status}` : ''}`,
  );
  return (
    <div class="store-requests">
      <h2>Police requests for evidence</h2>
      <Select id="sr-status" label="Show" inline value={status} options={SHOWN} onChange={setStatus} />
      {list.error && (
        <p class="field-error" role="alert">
          {list.error}
        </p>
      )}
      {list.data && !list.data.items.length && <p class="empty">No requests.</p>}
      <ul class="cards">
        {(list.data?.items ?? []).map((r) => (
          <li key={r.id} class={`request ${r.status}`} data-testid="store-request" data-status={r.status}>
            <h3>
              {kindLabel(r.kind)} {r.dueOn && <span class="meta">needed by {r.dueOn}</span>}
            </h3>
            <p class="meta">Asked {when(r.createdAt)}</p>
            <p class="narrative">{r.message}</p>
            {r.status === 'open' ? (
              <AnswerForm r={r} onDone={list.reload} />
            ) : (
              <>
                <p class="ok-text">
                  {r.status === 'declined' ? 'Declined' : 'Answered'} {when(r.answeredAt)}
                  {r.answerText && `: ${r.answerText}`}
                </p>
                {r.exhibitIds.length > 0 && <ExhibitGallery incidentId={r.incidentId} only={r.exhibitIds} />}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const IMPACT_KINDS = [
  ['isb', 'Impact statement for business (ISB)'],
  ['vps', 'Victim personal statement (VPS)'],
] as const;

function AnswerForm({ r, onDone }: { r: EvidenceRequest; onDone: () => void }) {
  const exhibits = useLoad<{ items: Exhibit[] }>(`/incidents/${r.incidentId}/evidence`);
  const statements = useLoad<{ items: Statement[] }>(`/incidents/${r.incidentId}/statements`);
  const [text, setText] = useState('');
  const [decline, setDecline] = useState(false);
  const [impact, setImpact] = useState<'isb' | 'vps'>('isb');
  const [madeBy, setMadeBy] = useState('');
  const [exhibitIds, setExhibitIds] = useState<string[]>([]);
  const [statementIds, setStatementIds] = useState<string[]>([]);
  const fid = `ans-${r.id}`;
  return (
    <ApiForm
      label="Answer the request"
      submitText={decline ? 'Send: we cannot supply this' : 'Send answer'}
      busyText="Sending…"
      fieldIds={{ answerText: `${fid}-text`, impactMadeBy: `${fid}-by` }}
      submit={() =>
        api.post(`/evidence-requests/${r.id}/answer`, {
          ...(decline ? { decline: true } : {}),
          ...(text.trim() ? { answerText: text.trim() } : {}),
          ...(r.kind === 'impact_statement' && !decline
            ? { impactKind: impact, ...(madeBy.trim() ? { impactMadeBy: madeBy.trim() } : {}) }
            : {}),
          ...(!decline && exhibitIds.length ? { exhibitIds } : {}),
          ...(!decline && statementIds.length ? { statementIds } : {}),
        })
      }
      onDone={onDone}
    >
      {(p) => (
        <>
          <TextArea
            id={`${fid}-text`}
            label={decline ? 'Why it cannot be supplied' : 'Your answer'}
            hint={
              r.kind === 'cctv'
                ? 'Say where the footage is and how long it is kept, or attach stills below.'
                : undefined
            }
            value={text}
            onInput={setText}
            rows={4}
            error={p.answerText}
          />
          {r.kind === 'impact_statement' && !decline && (
            <div class="row">
              <Select
                id={`${fid}-kind`}
                label="Kind of impact statement"
                value={impact}
                options={IMPACT_KINDS}
                onChange={setImpact}
              />
              <TextField
                id={`${fid}-by`}
                label="Made by"
                value={madeBy}
                onInput={setMadeBy}
                error={p.impactMadeBy}
              />
            </div>
          )}
          {!decline && (exhibits.data?.items.length ?? 0) > 0 && (
            <ExhibitGallery incidentId={r.incidentId} exhibits={exhibits.data!.items} />
          )}
          {!decline && (exhibits.data?.items.length ?? 0) > 0 && (
            <CheckGroup
              id={`${fid}-x`}
              legend="Attach photos or CCTV stills already on the report"
              options={exhibits.data!.items.map((x) => [
                x.id,
                `${x.reference}${x.originalName ? ` (${x.originalName})` : ''}`,
              ])}
              selected={exhibitIds}
              onChange={setExhibitIds}
            />
          )}
          {!decline && (statements.data?.items.length ?? 0) > 0 && (
            <CheckGroup
              id={`${fid}-s`}
              legend="Attach witness statements already on the report"
              options={statements.data!.items.map((s) => [s.id, `${s.witnessName} (version ${s.version})`])}
              selected={statementIds}
              onChange={setStatementIds}
            />
          )}
          <Check
            id={`${fid}-decline`}
            label="We cannot supply this"
            checked={decline}
            onChange={setDecline}
          />
        </>
      )}
    </ApiForm>
  );
}

export function CaseUpdates(_: { session: Session }) {
  const list = useLoad<Page<CaseUpdate>>('/case-updates?limit=50');
  return (
    <div class="case-updates">
      <h2>What happened to your reports</h2>
      {list.error && (
        <p class="field-error" role="alert">
          {list.error}
        </p>
      )}
      {list.data && !list.data.items.length && <p class="empty">No police cases from your reports yet.</p>}
      <ol class="cards">
        {(list.data?.items ?? []).map((u, n) => (
          <li key={`${u.caseId}-${n}`} data-testid="case-update">
            <strong>
              Case {u.caseReference} · {CASE_STATUS[u.status] ?? u.status}
            </strong>
            <span class="meta"> {when(u.at)}</span>
            <p>{u.plainWords}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
