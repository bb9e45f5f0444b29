// The store's side of police cases: evidence requests to answer, and what happened to cases built
// from the store's reports, in plain words.
import { useState } from 'preact/hooks';
import { api, type Session } from '../api/client';
import type { CaseUpdate, EvidenceRequest, Page } from '../api/types';
import { CASE_STATUS, kindLabel } from '../police/labels';
import { ApiForm, useLoad } from '../ui/data';
import { Check, TextArea, TextField } from '../ui/fields';
import { when } from '../ui/labels';

interface Exhibit {
  id: string;
  reference: string;
  originalName: string | null;
  sha256: string;
}
interface Statement {
  id: string;
  witnessName: string;
  version: number;
}

export function EvidenceRequests(_: { session: Session }) {
  const [status, setStatus] = useState('open');
  const list = useLoad<Page<EvidenceRequest>>(
    `/evidence-requests?limit=50${status ? `&status=${status}` : ''}`,
  );
  return (
    <div class="store-requests">
      <h2>Police requests for evidence</h2>
      <div class="field inline">
        <label for="sr-status">Show</label>
        <select
          id="sr-status"
          value={status}
          onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="open">Waiting for an answer</option>
          <option value="answered">Answered</option>
          <option value="declined">Declined</option>
          <option value="">All</option>
        </select>
      </div>
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
              <p class="ok-text">
                {r.status === 'declined' ? 'Declined' : 'Answered'} {when(r.answeredAt)}
                {r.answerText && `: ${r.answerText}`}
              </p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

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
  const toggle = (list: string[], set: (v: string[]) => void, id: string) => (on: boolean) =>
    set(on ? [...list, id] : list.filter((x) => x !== id));
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
              <div class="field">
                <label for={`${fid}-kind`}>Kind of impact statement</label>
                <select
                  id={`${fid}-kind`}
                  value={impact}
                  onChange={(e) => setImpact((e.currentTarget as HTMLSelectElement).value as 'isb')}
                >
                  <option value="isb">Impact statement for business (ISB)</option>
                  <option value="vps">Victim personal statement (VPS)</option>
                </select>
              </div>
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
            <fieldset class="field">
              <legend>Attach photos or CCTV stills already on the report</legend>
              {exhibits.data!.items.map((x) => (
                <Check
                  key={x.id}
                  id={`${fid}-x-${x.id}`}
                  label={`${x.reference}${x.originalName ? ` (${x.originalName})` : ''}`}
                  checked={exhibitIds.includes(x.id)}
                  onChange={toggle(exhibitIds, setExhibitIds, x.id)}
                />
              ))}
            </fieldset>
          )}
          {!decline && (statements.data?.items.length ?? 0) > 0 && (
            <fieldset class="field">
              <legend>Attach witness statements already on the report</legend>
              {statements.data!.items.map((s) => (
                <Check
                  key={s.id}
                  id={`${fid}-s-${s.id}`}
                  label={`${s.witnessName} (version ${s.version})`}
                  checked={statementIds.includes(s.id)}
                  onChange={toggle(statementIds, setStatementIds, s.id)}
                />
              ))}
            </fieldset>
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
