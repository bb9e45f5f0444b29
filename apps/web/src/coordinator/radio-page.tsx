// The console's radio page: who is on air, the alert composer, and the alerts in force with who
// acknowledged them. The radio connection itself belongs to the console, so it stays live on every page.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { AckStatus, AlertPayload, Store, TalkGroup } from '../api/types';
import type { RadioView } from '../radio/radio';
import { RADIO_TEXT } from '../till/alert-banner';
import { useSubmit } from '../ui/data';
import { Choices, ErrorSummary, Select, TextArea } from '../ui/fields';
import { when } from '../ui/labels';

export function RadioPage({ view, stores }: { view: RadioView | null; stores: Map<string, Store> }) {
  return (
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
  const [sent, setSent] = useState<string | null>(null);
  const submission = useSubmit();
  useEffect(() => {
    api.get<TalkGroup[]>('/talk-groups').then(setGroups, () => undefined);
  }, []);

  const send = async (e: Event) => {
    e.preventDefault();
    setSent(null);
    if (!message.trim()) {
      submission.refuse({ message: 'Write the alert' });
      return;
    }
    const [kind, id] = target.split(':');
    await submission.run(async () => {
      const alert = await api.post<AlertPayload>('/alerts', {
        type,
        ...(priority && type !== 'assistance_requested' ? { priority } : {}),
        message: message.trim(),
        target:
          kind === 'talk_group'
            ? { kind, talkGroupId: id }
            : kind === 'store'
              ? { kind, storeId: id }
              : { kind },
      });
      setSent(`Alert #${alert.seq} sent.`);
      setMessage('');
    });
  };
  const targets: [string, string][] = [
    ['partnership', 'Every store in the partnership'],
    ...groups.map((g): [string, string] => [`talk_group:${g.id}`, `Talk group: ${g.name}`]),
    ...[...stores.values()].map((s): [string, string] => [`store:${s.id}`, `Store: ${s.name}`]),
  ];
  const fields = submission.problems;

  return (
    <form class="composer" onSubmit={(e) => void send(e)} noValidate aria-label="Send an alert">
      <ErrorSummary message={submission.error} errors={{}} />
      <Choices
        id="a-type"
        label="Alert type"
        options={ALERT_TYPES}
        selected={[type]}
        onChange={([t]) => setType(t)}
        error={fields.type}
      />
      <div class="row">
        <Select id="a-target" label="Send to" value={target} options={targets} onChange={setTarget} />
        <Select
          id="a-priority"
          label="Priority"
          value={priority}
          options={PRIORITIES}
          disabled={type === 'assistance_requested'}
          onChange={setPriority}
        />
      </div>
      <TextArea
        id="a-message"
        label="Message"
        value={message}
        onInput={setMessage}
        rows={2}
        error={fields.message}
        required
      />
      <div class="actions">
        <button type="submit" class="primary" disabled={submission.busy} data-testid="send-alert">
          {submission.busy ? 'Sending…' : 'Send alert'}
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
                Acknowledged by {s.recipientStoreIds.length - s.pendingStoreIds.length} of{' '}
                {s.recipientStoreIds.length} stores
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
