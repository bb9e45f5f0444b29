// Police triage: the cases api's queue with the reasons for each priority, opening a case from a new
// report, and the case view (reports, history, evidence requests, status, assignment, packs).
import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type Session } from '../api/client';
import type {
  CaseHistoryEntry,
  CaseStatus,
  EvidenceKind,
  EvidencePack,
  EvidenceRequest,
  Incident,
  Page,
  PoliceCase,
  TriageItem,
} from '../api/types';
import { useStores } from '../coordinator/console';
import { ApiForm, saveBlob, shortId, useLoad } from '../ui/data';
import { Check, TextArea, TextField } from '../ui/fields';
import { IncidentDetail } from '../ui/incident-detail';
import { pounds, typeLabel, when } from '../ui/labels';

export const CASE_STATUS: Record<CaseStatus, string> = {
  new: 'New',
  in_triage: 'In triage',
  evidence_requested: 'Evidence requested',
  ready_for_cps: 'Ready for CPS',
  charged: 'Charged',
  no_further_action: 'No further action',
  community_resolution: 'Community resolution',
  court_outcome: 'Court outcome',
};

/** The api's allowed status changes (CASE_TRANSITIONS); the api checks them again. */
const NEXT: Record<CaseStatus, CaseStatus[]> = {
  new: ['in_triage', 'evidence_requested', 'no_further_action'],
  in_triage: ['evidence_requested', 'ready_for_cps', 'charged', 'no_further_action', 'community_resolution'],
  evidence_requested: ['in_triage', 'ready_for_cps', 'charged', 'no_further_action', 'community_resolution'],
  ready_for_cps: ['evidence_requested', 'charged', 'no_further_action'],
  charged: ['court_outcome', 'no_further_action'],
  no_further_action: [],
  community_resolution: [],
  court_outcome: [],
};

const KINDS: [EvidenceKind, string][] = [
  ['statement', 'Witness statement'],
  ['cctv', 'CCTV'],
  ['impact_statement', 'Impact statement (ISB or VPS)'],
];
export const kindLabel = (k: string) => KINDS.find(([v]) => v === k)?.[1] ?? k;

export function PoliceScreen({ session }: { session: Session }) {
  const [openId, setOpenId] = useState<string | null>(null);
  const [officer, setOfficer] = useState('');
  const queue = useLoad<Page<TriageItem>>(`/cases?limit=50${officer ? `&officer=${officer}` : ''}`);
  const stores = useStores();

  return (
    <div class="police">
      <h1>Triage queue</h1>
      <div class="split">
        <div>
          <div class="field inline">
            <label for="q-officer">Show</label>
            <select
              id="q-officer"
              value={officer}
              onChange={(e) => setOfficer((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">All open cases</option>
              <option value="me">Assigned to me</option>
              <option value="unassigned">Unassigned</option>
            </select>
          </div>
          {queue.error && (
            <p class="field-error" role="alert">
              {queue.error}
            </p>
          )}
          {queue.data && !queue.data.items.length && <p class="empty">No open cases.</p>}
          <ol class="triage" aria-label="Cases in priority order">
            {(queue.data?.items ?? []).map((t, n) => (
              <li key={t.case.id} class={openId === t.case.id ? 'sel' : ''} data-testid="triage-item">
                <button
                  type="button"
                  class="triage-row"
                  aria-pressed={openId === t.case.id}
                  onClick={() => setOpenId(t.case.id)}
                >
                  <span class="rank">{n + 1}</span>
                  <span>
                    <strong>
                      {t.case.reference} · {t.case.title}
                    </strong>
                    <span class="meta">
                      {CASE_STATUS[t.case.status]} · priority {t.score} · {t.incidentCount} report
                      {t.incidentCount === 1 ? '' : 's'}
                      {t.totalValuePence > 0 && ` · ${pounds(t.totalValuePence)}`}
                      {t.case.assignedOfficerId
                        ? t.case.assignedOfficerId === session.actor.id
                          ? ' · yours'
                          : ' · assigned'
                        : ' · unassigned'}
                    </span>
                    <ul class="reasons" aria-label="Why this priority">
                      {t.reasons.map((r) => (
                        <li key={r.factor}>
                          {r.text} <span class="points">(+{r.points})</span>
                        </li>
                      ))}
                      {!t.reasons.length && <li>No aggravating factor reported</li>}
                    </ul>
                  </span>
                </button>
              </li>
            ))}
          </ol>
          <NewReports
            stores={stores}
            onOpened={(c) => {
              queue.reload();
              setOpenId(c.id);
            }}
          />
        </div>
        <section class="panel case" aria-label="Case">
          {openId ? (
            <CaseView key={openId} id={openId} session={session} stores={stores} onChanged={queue.reload} />
          ) : (
            <p class="empty">Choose a case to see it.</p>
          )}
        </section>
      </div>
    </div>
  );
}

/** The partnership's new reports, from which an officer opens a case. */
function NewReports({
  stores,
  onOpened,
}: {
  stores: ReturnType<typeof useStores>;
  onOpened: (c: PoliceCase) => void;
}) {
  const list = useLoad<Page<Incident>>('/incidents?limit=50&status=submitted');
  const [chosen, setChosen] = useState<Incident | null>(null);
  const [reason, setReason] = useState('');
  const [detained, setDetained] = useState(false);
  const [vulnerable, setVulnerable] = useState(false);
  return (
    <section class="panel new-reports" aria-labelledby="nr-h">
      <h2 id="nr-h">New reports</h2>
      {list.error && <p class="field-error">{list.error}</p>}
      {list.data && !list.data.items.length && <p class="empty">No new reports.</p>}
      <ul class="plain">
        {(list.data?.items ?? []).map((i) => (
          <li key={i.id} data-testid="new-report">
            <button
              type="button"
              class="link"
              aria-pressed={chosen?.id === i.id}
              onClick={() => setChosen(i)}
            >
              {i.types.map(typeLabel).join(', ')} · {when(i.occurredAt)} ·{' '}
              {stores.get(i.storeId)?.name ?? 'store'}
            </button>
          </li>
        ))}
      </ul>
      {chosen && (
        <div class="drawer">
          <IncidentDetail incident={chosen} stores={stores} />
          <ApiForm
            label="Open a case"
            submitText="Open a case"
            busyText="Opening…"
            submit={async () => {
              const c = await api.post<PoliceCase>('/cases', {
                incidentId: chosen.id,
                reason: reason.trim(),
                offenderDetained: detained,
                victimVulnerable: vulnerable,
              });
              setChosen(null);
              setReason('');
              list.reload();
              onOpened(c);
            }}
            fieldIds={{ reason: 'oc-reason' }}
          >
            {(p) => (
              <>
                <TextArea
                  id="oc-reason"
                  label="Why open a case"
                  value={reason}
                  onInput={setReason}
                  rows={2}
                  error={p.reason}
                  required
                />
                <Check id="oc-detained" label="Offender detained" checked={detained} onChange={setDetained} />
                <Check
                  id="oc-vulnerable"
                  label="Victim is vulnerable"
                  checked={vulnerable}
                  onChange={setVulnerable}
                />
              </>
            )}
          </ApiForm>
        </div>
      )}
    </section>
  );
}

function CaseView({
  id,
  session,
  stores,
  onChanged,
}: {
  id: string;
  session: Session;
  stores: ReturnType<typeof useStores>;
  onChanged: () => void;
}) {
  const kase = useLoad<PoliceCase>(`/cases/${id}`);
  const history = useLoad<{ items: CaseHistoryEntry[] }>(`/cases/${id}/history`);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const ids = kase.data?.incidentIds ?? [];
  useEffect(() => {
    void Promise.all(ids.map((i) => api.get<Incident>(`/incidents/${i}`).catch(() => null))).then((rows) =>
      setIncidents(rows.filter((r): r is Incident => !!r)),
    );
  }, [ids.join()]);
  const changed = () => {
    kase.reload();
    history.reload();
    onChanged();
  };
  if (kase.error && !kase.data) {
    return (
      <p class="field-error" role="alert">
        {kase.error}
      </p>
    );
  }
  const c = kase.data;
  if (!c) {
    return <p aria-busy="true">Loading…</p>;
  }
  return (
    <div class="case-view" data-testid="case-view">
      <h2>
        Case {c.reference}
        <span class="status-tag">{CASE_STATUS[c.status]}</span>
      </h2>
      <p class="meta">
        {c.title} · opened {when(c.createdAt)} ·{' '}
        {c.assignedOfficerId
          ? c.assignedOfficerId === session.actor.id
            ? 'assigned to you'
            : `assigned to officer ${shortId(c.assignedOfficerId)}`
          : 'unassigned'}
      </p>
      {c.outcomePlain && <p class="notice">{c.outcomePlain}</p>}

      <details class="more" open>
        <summary>
          Reports ({incidents.length} of {ids.length})
        </summary>
        {incidents.map((i) => (
          <div key={i.id} class="case-incident">
            <IncidentDetail incident={i} stores={stores} />
          </div>
        ))}
      </details>

      <details class="more">
        <summary>Change status</summary>
        <StatusForm c={c} onDone={changed} />
      </details>
      <details class="more">
        <summary>Assignment</summary>
        <AssignForm c={c} session={session} onDone={changed} />
      </details>
      <details class="more" open>
        <summary>Evidence requests</summary>
        <EvidenceRequests c={c} incidents={incidents} stores={stores} onDone={changed} />
      </details>
      <details class="more" open>
        <summary>Evidence pack</summary>
        <Packs c={c} />
      </details>
      <details class="more">
        <summary>History ({history.data?.items.length ?? 0})</summary>
        <ol class="history">
          {(history.data?.items ?? []).map((h) => (
            <li key={h.id}>
              <strong>{when(h.at)}</strong> · {h.fromStatus ? `${CASE_STATUS[h.fromStatus]} → ` : ''}
              {CASE_STATUS[h.toStatus]} {h.kind !== 'status' && `(${h.kind})`}
              <div>Reason: {h.reason}</div>
              {h.plainWords && <div class="meta">Store told: “{h.plainWords}”</div>}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}

function StatusForm({ c, onDone }: { c: PoliceCase; onDone: () => void }) {
  const next = NEXT[c.status];
  const [to, setTo] = useState<CaseStatus | ''>(next[0] ?? '');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('');
  const [date, setDate] = useState('');
  useEffect(() => setTo(next[0] ?? ''), [c.status]);
  if (!next.length) {
    return <p class="empty">This case is closed: {CASE_STATUS[c.status]}.</p>;
  }
  const final = to === 'no_further_action' || to === 'community_resolution' || to === 'court_outcome';
  return (
    <ApiForm
      label="Change status"
      submitText="Change status"
      fieldIds={{ status: 'cs-to', reason: 'cs-reason', outcome: 'cs-outcome', proceedingsDate: 'cs-date' }}
      submit={() =>
        api.post(`/cases/${c.id}/transitions`, {
          status: to,
          reason: reason.trim(),
          ...(final && outcome.trim() ? { outcome: outcome.trim() } : {}),
          ...(to === 'charged' && date ? { proceedingsDate: date } : {}),
        })
      }
      onDone={() => {
        setReason('');
        setOutcome('');
        onDone();
      }}
    >
      {(p) => (
        <>
          <div class={`field${p.status ? ' has-error' : ''}`}>
            <label for="cs-to">New status</label>
            <select
              id="cs-to"
              value={to}
              onChange={(e) => setTo((e.currentTarget as HTMLSelectElement).value as CaseStatus)}
            >
              {next.map((s) => (
                <option key={s} value={s}>
                  {CASE_STATUS[s]}
                </option>
              ))}
            </select>
          </div>
          <TextArea
            id="cs-reason"
            label="Reason (kept in the case history)"
            value={reason}
            onInput={setReason}
            rows={2}
            error={p.reason}
            required
          />
          {final && (
            <TextArea
              id="cs-outcome"
              label="Outcome in plain words for the store and the victim"
              value={outcome}
              onInput={setOutcome}
              rows={2}
              error={p.outcome}
            />
          )}
          {to === 'charged' && (
            <TextField
              id="cs-date"
              type="date"
              label="Charge or first-appearance date"
              value={date}
              onInput={setDate}
              error={p.proceedingsDate}
            />
          )}
        </>
      )}
    </ApiForm>
  );
}

function AssignForm({ c, session, onDone }: { c: PoliceCase; session: Session; onDone: () => void }) {
  const [officer, setOfficer] = useState(session.actor.id);
  const [reason, setReason] = useState('');
  return (
    <ApiForm
      label="Assign the case"
      submitText={officer === session.actor.id ? 'Assign to me' : 'Assign'}
      fieldIds={{ officerId: 'as-officer', reason: 'as-reason' }}
      submit={() =>
        api.post(`/cases/${c.id}/assignment`, { officerId: officer.trim(), reason: reason.trim() })
      }
      onDone={() => {
        setReason('');
        onDone();
      }}
    >
      {(p) => (
        <>
          <TextField
            id="as-officer"
            label="Officer's user id"
            hint="Your own id is filled in; paste a colleague's to hand the case over."
            value={officer}
            onInput={setOfficer}
            error={p.officerId}
          />
          <TextArea
            id="as-reason"
            label="Reason for the assignment"
            value={reason}
            onInput={setReason}
            rows={2}
            error={p.reason}
            required
          />
        </>
      )}
    </ApiForm>
  );
}

function EvidenceRequests({
  c,
  incidents,
  stores,
  onDone,
}: {
  c: PoliceCase;
  incidents: Incident[];
  stores: ReturnType<typeof useStores>;
  onDone: () => void;
}) {
  const list = useLoad<{ items: EvidenceRequest[] }>(`/cases/${c.id}/evidence-requests`);
  const [incidentId, setIncidentId] = useState('');
  const [kind, setKind] = useState<EvidenceKind>('cctv');
  const [message, setMessage] = useState('');
  const [due, setDue] = useState('');
  const target = incidentId || incidents[0]?.id || '';
  return (
    <div>
      {list.error && <p class="field-error">{list.error}</p>}
      {list.data && !list.data.items.length && <p class="empty">No requests yet.</p>}
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
        submit={() =>
          api.post(`/cases/${c.id}/evidence-requests`, {
            incidentId: target,
            kind,
            message: message.trim(),
            ...(due ? { dueOn: due } : {}),
          })
        }
        onDone={() => {
          setMessage('');
          setDue('');
          list.reload();
          onDone();
        }}
      >
        {(p) => (
          <>
            <div class="row">
              <div class={`field${p.incidentId ? ' has-error' : ''}`}>
                <label for="er-incident">Report</label>
                <select
                  id="er-incident"
                  value={target}
                  onChange={(e) => setIncidentId((e.currentTarget as HTMLSelectElement).value)}
                >
                  {incidents.map((i) => (
                    <option key={i.id} value={i.id}>
                      {when(i.occurredAt)} · {stores.get(i.storeId)?.name ?? 'store'}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="er-kind">What you need</label>
                <select
                  id="er-kind"
                  value={kind}
                  onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as EvidenceKind)}
                >
                  {KINDS.map(([v, l]) => (
                    <option key={v} value={v}>
                      {l}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <TextArea
              id="er-message"
              label="Message to the store"
              value={message}
              onInput={setMessage}
              rows={3}
              error={p.message}
              required
            />
            <TextField
              id="er-due"
              type="date"
              label="Needed by (optional)"
              value={due}
              onInput={setDue}
              error={p.dueOn}
            />
          </>
        )}
      </ApiForm>
    </div>
  );
}

const PACK_STATUS: Record<string, string> = {
  queued: 'Waiting to build',
  building: 'Building',
  ready: 'Ready to download',
  failed: 'Failed',
  expired: 'Expired',
};

function Packs({ c }: { c: PoliceCase }) {
  const list = useLoad<{ items: EvidencePack[] }>(`/cases/${c.id}/packs`);
  const [pack, setPack] = useState<EvidencePack | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = pack ?? list.data?.items[0] ?? null;
  const building = latest && (latest.status === 'queued' || latest.status === 'building');
  // poll the build while it runs
  useEffect(() => {
    if (!latest || !building) {
      return;
    }
    const t = setTimeout(() => {
      api
        .get<EvidencePack>(`/packs/${latest.id}`)
        .then(setPack, (err: unknown) => setError(describeError(err)));
    }, 700);
    return () => clearTimeout(t);
  }, [latest?.id, latest?.status, latest?.progress.done]);

  const build = async () => {
    setError(null);
    try {
      setPack(await api.post<EvidencePack>(`/cases/${c.id}/packs`));
    } catch (err) {
      setError(describeError(err));
    }
  };
  const pct =
    latest && latest.progress.total > 0
      ? Math.round((latest.progress.done / latest.progress.total) * 100)
      : 0;
  return (
    <div class="packs">
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {latest && (
        <div class="pack" data-testid="pack" data-status={latest.status}>
          <p role="status" aria-live="polite">
            <strong>{PACK_STATUS[latest.status] ?? latest.status}</strong>
            {latest.progress.stage && building && ` · ${latest.progress.stage}`}
            {latest.status === 'ready' &&
              latest.sizeBytes !== null &&
              ` · ${latest.fileCount ?? 0} files, ${(latest.sizeBytes / 1024).toFixed(0)} KB`}
            {latest.error && ` · ${latest.error}`}
          </p>
          {building && (
            <progress max={100} value={pct} aria-label="Pack build progress">
              {pct}%
            </progress>
          )}
          {latest.status === 'ready' && (
            <>
              {latest.sha256 && <p class="meta hash">SHA-256 {latest.sha256}</p>}
              {latest.expiresAt && <p class="meta">Available until {when(latest.expiresAt)}</p>}
              <DownloadForm pack={latest} />
            </>
          )}
        </div>
      )}
      {!building && (
        <button type="button" class={latest ? 'secondary' : 'primary'} onClick={() => void build()}>
          {latest ? 'Build a new pack' : 'Build the evidence pack'}
        </button>
      )}
    </div>
  );
}

function DownloadForm({ pack }: { pack: EvidencePack }) {
  const [recipient, setRecipient] = useState('');
  const [purpose, setPurpose] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <>
      <ApiForm
        label="Download the pack"
        submitText="Download"
        busyText="Downloading…"
        fieldIds={{ recipient: 'dl-recipient', purpose: 'dl-purpose' }}
        submit={async () => {
          const file = await api.download('POST', `/packs/${pack.id}/download`, {
            recipient: recipient.trim(),
            purpose: purpose.trim(),
          });
          saveBlob(file.blob, file.filename);
          setSaved(
            `Saved ${file.filename} (${(file.blob.size / 1024).toFixed(0)} KB). The download is recorded as a disclosure to ${recipient.trim()}.`,
          );
        }}
      >
        {(p) => (
          <>
            <p class="hint">
              Every download is recorded in the access log as a disclosure, with who receives it and why.
            </p>
            <TextField
              id="dl-recipient"
              label="Recipient"
              hint="For example: CPS, reviewing lawyer A. Khan"
              value={recipient}
              onInput={setRecipient}
              error={p.recipient}
              required
            />
            <TextField
              id="dl-purpose"
              label="Purpose"
              value={purpose}
              onInput={setPurpose}
              error={p.purpose}
              required
            />
          </>
        )}
      </ApiForm>
      {saved && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
    </>
  );
}
