// The till tablet: file a report fast, online or not; see what is queued and sent; hear alerts.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Session } from '../api/client';
import { Outbox, type OutboxItem, type SyncStatus } from '../offline/outbox';
import type { PhotoDraft } from '../offline/report';
import { Radio, type RadioView } from '../radio/radio';
import { AlertBanner } from './alert-banner';
import { RecentReports } from './recent-reports';
import { ReportForm } from './report-form';
import { CaseUpdates, EvidenceRequests } from '../store/store-side';
import { Gallery } from './gallery';
import { Tabs } from '../ui/tabs';

export function TillScreen({ session }: { session: Session }) {
  const owner = session.actor.storeId ?? session.actor.id;
  const outbox = useMemo(() => new Outbox(owner), [owner]);
  const radio = useMemo(() => new Radio(session.actor.partnershipId, session.actor.id), [session.actor.id]);
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [radioView, setRadioView] = useState<RadioView | null>(null);
  const [tab, setTab] = useState<'report' | 'queue' | 'requests' | 'updates' | 'gallery'>('report');

  useEffect(() => {
    const stop = outbox.start();
    const off = outbox.subscribe(setStatus);
    return () => {
      off();
      stop();
    };
  }, [outbox]);
  useEffect(() => {
    const off = radio.subscribe(setRadioView);
    void radio.start();
    return () => {
      off();
      radio.close();
    };
  }, [radio]);

  return (
    <div class="till">
      {radioView && <AlertBanner view={radioView} onAck={(id) => radio.ack(id)} />}
      {status && <SyncBar status={status} onRetry={() => void outbox.sync()} />}
      {/* the report form has its own heading; the other tabs are named for screen readers */}
      {tab !== 'report' && <h1 class="visually-hidden">{TAB_TITLES[tab]}</h1>}
      <Tabs
        label="Till"
        prefix=""
        tabs={[
          ['report', TAB_TITLES.report],
          ['queue', `${TAB_TITLES.queue}${status ? ` (${status.items.length})` : ''}`],
          ['requests', TAB_TITLES.requests],
          ['updates', TAB_TITLES.updates],
          ['gallery', TAB_TITLES.gallery],
        ]}
        current={tab}
        onChange={setTab}
      >
        {tab === 'report' && <ReportForm owner={owner} outbox={outbox} onFiled={() => setTab('queue')} />}
        {tab === 'queue' && (
          <>
            {status && <QueueList status={status} outbox={outbox} />}
            <RecentReports session={session} sent={status?.items.filter((i) => i.state === 'sent').length ?? 0} />
          </>
        )}
        {tab === 'requests' && <EvidenceRequests session={session} />}
        {tab === 'updates' && <CaseUpdates session={session} />}
        {tab === 'gallery' && <Gallery session={session} />}
      </Tabs>
    </div>
  );
}

const TAB_TITLES = {
  report: 'New report',
  queue: 'Sent and waiting',
  requests: 'Police requests',
  updates: 'Case updates',
  gallery: 'Gallery',
} as const;

export function SyncBar({ status, onRetry }: { status: SyncStatus; onRetry: () => void }) {
  const waiting = status.items.filter((i) => i.state === 'queued' || i.state === 'sending').length;
  const refused = status.items.filter((i) => i.state === 'rejected').length;
  let text: string;
  let tone: string;
  if (!status.online) {
    text = waiting ? `Offline: ${waiting} report${waiting > 1 ? 's' : ''} saved on this tablet, will send when back online` : 'Offline: reports will be saved on this tablet';
    tone = 'warn';
  } else if (status.syncing) {
    text = `Sending ${waiting} report${waiting === 1 ? '' : 's'}…`;
    tone = 'busy';
  } else if (waiting) {
    text = `${waiting} waiting to send${status.lastError ? `: ${status.lastError}` : ''}`;
    tone = 'warn';
  } else {
    text = 'Online: everything is sent';
    tone = 'ok';
  }
  return (
    <div class={`syncbar ${tone}`} role="status" aria-live="polite" data-testid="sync-status" data-waiting={waiting}>
      <span class="dot" aria-hidden="true" />
      <span>{text}</span>
      {refused > 0 && <span class="refused">{refused} need correcting</span>}
      {status.online && waiting > 0 && !status.syncing && (
        <button type="button" class="secondary small" onClick={onRetry}>
          Try now
        </button>
      )}
    </div>
  );
}

const STATE_TEXT = { queued: 'Waiting to send', sending: 'Sending', sent: 'Sent', rejected: 'Needs correcting' } as const;

function QueueList({ status, outbox }: { status: SyncStatus; outbox: Outbox }) {
  if (!status.items.length) {
    return <p class="empty">Nothing filed from this tablet yet.</p>;
  }
  return (
    <ul class="queue" aria-label="Reports from this tablet">
      {status.items.map((i) => (
        <li key={i.key} class={`queue-item ${i.state}`} data-testid="queue-item" data-state={i.state}>
          <div>
            <strong>{i.body.narrative.slice(0, 80)}</strong>
            <div class="meta">
              Filed {new Date(i.createdAt).toLocaleString('en-GB')} · {STATE_TEXT[i.state]}
              {i.photos.length > 0 && ` · ${i.photos.length} photo${i.photos.length > 1 ? 's' : ''}`}
              {i.statement && ' · witness statement'}
              {i.impact && ' · impact statement'}
            </div>
            {i.lastError && i.state !== 'sent' && <p class="field-error">{i.lastError}</p>}
            {i.photos.some((p) => p.state === 'waiting') && <p class="hint">Photos are kept on this tablet until photo upload is available.</p>}
            {i.statement?.state === 'waiting' && <p class="hint">{i.statement.error}</p>}
            {i.impact?.state === 'waiting' && <p class="hint">{i.impact.error}</p>}
            {i.impact?.state === 'rejected' && <p class="field-error">Impact statement refused: {i.impact.error}</p>}
            {i.photos.length > 0 && <Exhibits item={i} />}
          </div>
          {i.state === 'rejected' && (
            <button type="button" class="secondary" onClick={() => void outbox.dismiss(i.key)}>
              Discard
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Each photo of a filed report with its exhibit reference once uploaded, for the witness's MG11. */
function Exhibits({ item }: { item: OutboxItem }) {
  const first = item.photos.find((p) => p.reference)?.reference;
  return (
    <div class="exhibits">
      <ul aria-label="Photos and their exhibit references">
        {item.photos.map((p) => (
          <li key={p.id} data-testid="queue-photo" data-state={p.state}>
            <span class="name">{p.name}</span>{' '}
            {p.reference ? (
              <span>
                Exhibit <strong class="exhibit-ref" data-testid="exhibit-reference">{p.reference}</strong>
              </span>
            ) : (
              <span class={p.state === 'rejected' ? 'field-error' : 'meta'}>{photoState(p)}</span>
            )}
          </li>
        ))}
      </ul>
      {first && <p class="hint">In a witness statement, refer to a photo by its exhibit reference: “I produced exhibit {first}”.</p>}
    </div>
  );
}

function photoState(p: PhotoDraft): string {
  switch (p.state) {
    case 'sent':
      return 'Uploaded (reference not shown: it was sent by an older version of this page)';
    case 'rejected':
      return `Not uploaded: ${p.error ?? 'refused by the hub'}`;
    case 'waiting':
      return 'Not yet uploaded: kept on this tablet';
    case 'queued':
      return 'Not yet uploaded';
  }
}
