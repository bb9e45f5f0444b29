// The coordinator's console: the live radio (feed, composer, who acknowledged, who is on air),
// incident review, and the intelligence screens as their apis land.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, describeError, type Session } from '../api/client';
import type { AckStatus, AlertPayload, Incident, Page, Store, TalkGroup } from '../api/types';
import { Radio, type RadioView } from '../radio/radio';
import { RADIO_TEXT } from '../till/alert-banner';
import { Choices, ErrorSummary, TextArea } from '../ui/fields';
import { Intelligence, LinkToSubject } from './intel';
import { IncidentDetail } from '../ui/incident-detail';
import { typeLabel, when } from '../ui/labels';

export function useStores(): Map<string, Store> {
  const [stores, setStores] = useState(new Map<string, Store>());
  useEffect(() => {
    api.get<Page<Store>>('/stores?limit=200').then(
      (p) => setStores(new Map(p.items.map((s) => [s.id, s]))),
      () => undefined,
    );
  }, []);
  return stores;
}

export function CoordinatorConsole({ session }: { session: Session }) {
  const radio = useMemo(() => new Radio(session.actor.partnershipId, session.actor.id), [session.actor.id]);
  const [view, setView] = useState<RadioView | null>(null);
  const stores = useStores();
  useEffect(() => {
    const off = radio.subscribe(setView);
    void radio.start();
    const timer = setInterval(() => void radio.refreshPresence().catch(() => undefined), 15_000);
    return () => {
      clearInterval(timer);
      off();
      radio.close();
    };
  }, [radio]);
  // presence again whenever the channel changes: live, new alerts, new acknowledgements
  useEffect(() => {
    if (view?.state === 'live') {
      void radio.refreshPresence().catch(() => undefined);
    }
  }, [view?.state, view?.alerts.length, view?.acks.length]);

  return (
    <div class="console">
      <h1 class="visually-hidden">Coordinator console</h1>
      <section class="panel radio-panel" aria-labelledby="radio-h">
        <div class="panel-head">
          <h2 id="radio-h">Radio</h2>
          {view && (
            <span class={`radio-state ${view.state}`} data-testid="radio-state">
              <span class="dot" aria-hidden="true" /> {RADIO_TEXT[view.state]}
            </span>
          )}
        </div>
        {view && <Presence view={view} stores={stores} />}
        <Composer stores={stores} />
        {view && <Feed view={view} stores={stores} />}
      </section>
      <section class="panel" aria-labelledby="review-h">
        <h2 id="review-h">Incident review</h2>
        <IncidentReview stores={stores} />
      </section>
      <section class="panel intel-panel" aria-labelledby="intel-h">
        <h2 id="intel-h">Offender intelligence</h2>
        <Intelligence stores={stores} />
      </section>
    </div>
  );
}

function Presence({ view, stores }: { view: RadioView; stores: Map<string, Store> }) {
  const p = view.presence;
  if (!p) {
    return <p class="hint">Presence shows once the radio is live.</p>;
  }
  const on = new Set(p.stores.map((s) => s.storeId));
  return (
    <div class="presence" data-testid="presence">
      <p>
        <strong>{p.stores.length}</strong> of {stores.size || '?'} stores on air · {p.connections} connected
      </p>
      <ul class="store-dots">
        {[...stores.values()].map((s) => (
          <li key={s.id} class={on.has(s.id) ? 'on' : 'off'}>
            <span class="dot" aria-hidden="true" />
            {s.name} <span class="visually-hidden">{on.has(s.id) ? 'on air' : 'not connected'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

const ALERT_TYPES: [string, string][] = [
  ['information', 'Information'],
  ['offender_sighted', 'Offender sighted'],
  ['assistance_requested', 'Assistance requested'],
  ['all_clear', 'All clear'],
];
const PRIORITIES: [string, string][] = [
  ['', 'Default for the type'],
  ['high', 'High'],
  ['normal', 'Normal'],
  ['low', 'Low'],
];

function Composer({ stores }: { stores: Map<string, Store> }) {
  const [type, setType] = useState('information');
  const [priority, setPriority] = useState('');
  const [message, setMessage] = useState('');
  const [target, setTarget] = useState('partnership');
  const [groups, setGroups] = useState<TalkGroup[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<TalkGroup[]>('/talk-groups').then(setGroups, () => undefined);
  }, []);

  const send = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setFields({});
    setSent(null);
    if (!message.trim()) {
      setFields({ message: 'Write the alert' });
      return;
    }
    const [kind, id] = target.split(':');
    setBusy(true);
    try {
      const alert = await api.post<AlertPayload>('/alerts', {
        type,
        ...(priority && type !== 'assistance_requested' ? { priority } : {}),
        message: message.trim(),
        target: kind === 'talk_group' ? { kind, talkGroupId: id } : kind === 'store' ? { kind, storeId: id } : { kind },
      });
      setSent(`Alert #${alert.seq} sent.`);
      setMessage('');
    } catch (err) {
      setError(describeError(err));
      if (err instanceof ApiError) {
        setFields(err.fieldProblems());
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="composer" onSubmit={(e) => void send(e)} noValidate aria-label="Send an alert">
      <ErrorSummary message={error} errors={{}} />
      <Choices id="a-type" label="Alert type" options={ALERT_TYPES} selected={[type]} onChange={([t]) => setType(t)} error={fields.type} />
      <div class="row">
        <div class="field">
          <label for="a-target">Send to</label>
          <select id="a-target" value={target} onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value)}>
            <option value="partnership">Every store in the partnership</option>
            {groups.map((g) => (
              <option key={g.id} value={`talk_group:${g.id}`}>
                Talk group: {g.name}
              </option>
            ))}
            {[...stores.values()].map((s) => (
              <option key={s.id} value={`store:${s.id}`}>
                Store: {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="a-priority">Priority</label>
          <select id="a-priority" value={priority} disabled={type === 'assistance_requested'} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value)}>
            {PRIORITIES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TextArea id="a-message" label="Message" value={message} onInput={setMessage} rows={2} error={fields.message} required />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid="send-alert">
          {busy ? 'Sending…' : 'Send alert'}
        </button>
        {sent && (
          <span role="status" class="ok-text">
            {sent}
          </span>
        )}
      </div>
    </form>
  );
}

function Feed({ view, stores }: { view: RadioView; stores: Map<string, Store> }) {
  const [status, setStatus] = useState<Record<string, AckStatus>>({});
  const ids = view.alerts.slice(0, 10).map((a) => a.id);
  const ackCount = view.acks.length;
  useEffect(() => {
    for (const id of ids) {
      api.get<AckStatus>(`/alerts/${id}/acks`).then(
        (s) => setStatus((prev) => ({ ...prev, [id]: s })),
        () => undefined,
      );
    }
  }, [ids.join(), ackCount]);
  if (!view.alerts.length) {
    return <p class="empty">No alerts in force.</p>;
  }
  const storeName = (id: string | null) => (id ? (stores.get(id)?.name ?? 'a store') : 'coordinator');
  return (
    <ol class="feed" aria-label="Alerts, newest first">
      {view.alerts.map((a) => {
        const s = status[a.id];
        return (
          <li key={a.id} class={`feed-item ${a.priority}`} data-testid="feed-item">
            <div class="feed-head">
              <strong>
                #{a.seq} {typeLabelAlert(a.type)}
              </strong>
              <span class="meta">
                {when(a.createdAt)} from {storeName(a.sender.storeId)}
              </span>
            </div>
            <p>{a.message}</p>
            {s && (
              <p class="acks" data-testid="ack-status">
                Acknowledged by {s.recipientStoreIds.length - s.pendingStoreIds.length} of {s.recipientStoreIds.length} stores
                {s.pendingStoreIds.length > 0 && s.pendingStoreIds.length <= 6 && (
                  <> · waiting for {s.pendingStoreIds.map((id) => storeName(id)).join(', ')}</>
                )}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

const typeLabelAlert = (t: string) => ALERT_TYPES.find(([v]) => v === t)?.[1] ?? t;

function IncidentReview({ stores }: { stores: Map<string, Store> }) {
  const [items, setItems] = useState<Incident[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Incident | null>(null);
  const [filter, setFilter] = useState('submitted');
  const load = () => {
    api.get<Page<Incident>>(`/incidents?limit=50${filter ? `&status=${filter}` : ''}`).then(
      (p) => {
        setItems(p.items);
        setError(null);
      },
      (err: unknown) => setError(describeError(err)),
    );
  };
  useEffect(load, [filter]);

  const markReviewed = async (i: Incident) => {
    try {
      const next = await api.post<Incident>(`/incidents/${i.id}/transitions`, { version: i.version, to: 'reviewed' });
      setOpen(next);
      load();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div class="review">
      <div class="field inline">
        <label for="rv-status">Show</label>
        <select id="rv-status" value={filter} onChange={(e) => setFilter((e.currentTarget as HTMLSelectElement).value)}>
          <option value="submitted">New reports</option>
          <option value="reviewed">Reviewed</option>
          <option value="">All</option>
        </select>
      </div>
      {error && <p class="field-error" role="alert">{error}</p>}
      {items && !items.length && <p class="empty">Nothing here.</p>}
      {items && items.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">Reports</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Store</th>
              <th scope="col">What</th>
              <th scope="col">
                <span class="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="incident-row">
                <td>{when(i.occurredAt)}</td>
                <td>{stores.get(i.storeId)?.name ?? '—'}</td>
                <td>{i.types.map(typeLabel).join(', ')}</td>
                <td>
                  <button type="button" class="secondary small" onClick={() => setOpen(i)}>
                    Open<span class="visually-hidden"> report from {when(i.occurredAt)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <div class="drawer" role="region" aria-label="Report">
          <IncidentDetail incident={open} stores={stores} />
          <details class="more">
            <summary>Link to a subject</summary>
            <LinkToSubject incident={open} />
          </details>
          <div class="actions">
            {open.status === 'submitted' && (
              <button type="button" class="primary" onClick={() => void markReviewed(open)}>
                Mark reviewed
              </button>
            )}
            <button type="button" class="secondary" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
