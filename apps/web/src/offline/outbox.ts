// The offline queue. A filed report goes into IndexedDB with the Idempotency-Key its draft was
// given (and its witness and impact statements with keys of their own), and is POSTed until the
// api answers: a retry after a lost answer replays the first answer, so each lands exactly once
// however often the connection drops.
import { api, ApiError, NetworkError, SignedOutError } from '../api/client';
import { capabilities } from '../api/capabilities';
import type { Exhibit, Incident, IncidentRequest } from '../api/types';
import { idb, uuid } from './db';
import { type Draft, type ImpactDraft, type PhotoDraft, type StatementDraft, toImpactRequest } from './report';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'rejected';

export interface OutboxItem {
  key: string;
  owner: string;
  body: IncidentRequest;
  photos: PhotoDraft[];
  statement: StatementDraft | null;
  /** the impact statement for business, if one was given (absent on items queued before it) */
  impact?: ImpactDraft | null;
  state: OutboxState;
  attempts: number;
  lastError?: string;
  fieldErrors?: Record<string, string>;
  incidentId?: string;
  createdAt: string;
  sentAt?: string;
  /** the draft it came from, to reopen it if the api refuses it */
  draft: Draft;
}

export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  items: OutboxItem[];
  lastSyncAt: string | null;
  lastError: string | null;
}

type Listener = (s: SyncStatus) => void;
const RETRY_MS = 10_000;

export class Outbox {
  private status: SyncStatus = { online: navigator.onLine, syncing: false, items: [], lastSyncAt: null, lastError: null };
  private readonly listeners = new Set<Listener>();
  private running: Promise<void> | null = null;
  private again = false;
  private firstRun = true;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly owner: string) {}

  start(): () => void {
    const online = () => {
      this.patch({ online: true });
      void this.sync();
    };
    const offline = () => this.patch({ online: false });
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    this.timer = setInterval(() => {
      if (navigator.onLine && this.status.items.some((i) => i.state === 'queued' || this.pendingParts(i))) {
        void this.sync();
      }
    }, RETRY_MS);
    void this.reload().then(() => this.sync());
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      if (this.timer) {
        clearInterval(this.timer);
      }
      this.listeners.clear();
    };
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    l(this.status);
    return () => this.listeners.delete(l);
  }

  /** Files a draft: it is in IndexedDB before anything is sent. */
  async enqueue(draft: Draft, body: IncidentRequest): Promise<void> {
    const item: OutboxItem = {
      key: draft.key,
      owner: this.owner,
      body,
      photos: draft.photos.map((p) => ({ ...p, state: 'queued' })),
      statement: draft.statement
        ? { ...draft.statement, signedAt: draft.statement.signedAt ?? new Date().toISOString(), key: uuid(), state: 'queued' }
        : null,
      impact: draft.impact ? { ...draft.impact, key: uuid(), state: 'queued' } : null,
      state: 'queued',
      attempts: 0,
      createdAt: new Date().toISOString(),
      draft,
    };
    await idb.put('outbox', item);
    await idb.delete('drafts', draft.key);
    await this.reload();
    void this.sync();
  }

  /** Takes a refused report back out of the queue so it can be corrected. */
  async reopen(key: string): Promise<OutboxItem | undefined> {
    const item = await idb.get<OutboxItem>('outbox', key);
    if (item && item.state === 'rejected') {
      await idb.delete('outbox', key);
      await this.reload();
    }
    return item;
  }

  async dismiss(key: string): Promise<void> {
    await idb.delete('outbox', key);
    await this.reload();
  }

  /** Sends everything queued; one run at a time, and one more if asked while running. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** parts still to send; 'waiting' ones (their api not there yet) are tried once per page load */
  private pendingParts(i: OutboxItem, waitingToo = false): boolean {
    const open = (s?: string) => s === 'queued' || (waitingToo && s === 'waiting');
    return (
      i.state === 'sent' && (i.photos.some((p) => open(p.state)) || open(i.statement?.state) || open(i.impact?.state))
    );
  }

  private async runOnce(): Promise<void> {
    if (!navigator.onLine) {
      return; // the browser knows it is offline: nothing to try until the 'online' event
    }
    const items = await idb.byOwner<OutboxItem>('outbox', this.owner);
    const todo = items.filter(
      (i) => i.state === 'queued' || i.state === 'sending' || this.pendingParts(i, this.firstRun),
    );
    this.firstRun = false;
    if (!todo.length) {
      return;
    }
    this.patch({ syncing: true });
    let lastError: string | null = null;
    try {
      for (const item of todo.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
        const stop = await this.send(item);
        if (stop) {
          lastError = stop;
          break;
        }
      }
    } finally {
      await this.reload();
      this.patch({ syncing: false, lastSyncAt: new Date().toISOString(), lastError });
    }
  }

  /** Returns a reason to stop the run (offline, signed out), or null to go on. */
  private async send(item: OutboxItem): Promise<string | null> {
    if (item.state !== 'sent') {
      item.state = 'sending';
      item.attempts += 1;
      await idb.put('outbox', item);
      await this.reload();
      try {
        const incident = await api.post<Incident>('/incidents', item.body, {
          headers: { 'idempotency-key': item.key },
        });
        item.state = 'sent';
        item.incidentId = incident.id;
        item.sentAt = new Date().toISOString();
        item.lastError = undefined;
        item.fieldErrors = undefined;
      } catch (err) {
        return this.failed(item, err);
      }
      await idb.put('outbox', item);
    }
    await this.sendParts(item);
    return null;
  }

  private async failed(item: OutboxItem, err: unknown): Promise<string | null> {
    let stop: string | null = null;
    if (err instanceof NetworkError) {
      item.state = 'queued';
      item.lastError = 'Waiting for a connection';
      stop = item.lastError;
    } else if (err instanceof SignedOutError) {
      item.state = 'queued';
      item.lastError = 'Sign in again to send';
      stop = item.lastError;
    } else if (err instanceof ApiError && err.status >= 400 && err.status < 500 && ![408, 409, 425, 429].includes(err.status)) {
      item.state = 'rejected';
      item.lastError = err.message;
      item.fieldErrors = err.fieldProblems();
    } else {
      item.state = 'queued';
      item.lastError = err instanceof Error ? err.message : 'Could not send';
      stop = item.lastError;
    }
    await idb.put('outbox', item);
    return stop;
  }

  /**
   * Photos, the witness statement and the impact statement, once the report has its id. Photos go
   * by their SHA-256 (the same file again is answered with the same exhibit, whose reference is
   * kept on the item); each statement goes with its own Idempotency-Key, so a retry after a lost
   * answer replays the first answer and never makes two.
   */
  private async sendParts(item: OutboxItem): Promise<void> {
    const caps = await capabilities();
    const id = item.incidentId as string;
    const canUpload = caps.has('PUT', '/incidents/:id/evidence/:id');
    for (const photo of item.photos.filter((p) => p.state === 'queued' || p.state === 'waiting')) {
      if (!canUpload) {
        photo.state = 'waiting';
        photo.error = 'Photo upload is not available yet: kept on this device';
        continue;
      }
      try {
        const exhibit = await api.request<Exhibit>('PUT', `/incidents/${id}/evidence/${photo.sha256}`, {
          raw: photo.blob,
          headers: {
            'content-type': 'application/octet-stream',
            'x-evidence-producer': encodeURIComponent(item.draft.form.photoProducer?.trim() || 'Till tablet'),
            'x-evidence-filename': encodeURIComponent(photo.name),
            'x-evidence-captured-at': new Date((photo.blob as File).lastModified || Date.now()).toISOString(),
          },
        });
        photo.state = 'sent';
        photo.error = undefined;
        photo.reference = exhibit?.reference;
        // kept at once, so the reference is on the device even if the next upload is cut off
        await idb.put('outbox', item);
      } catch (err) {
        markFailed(photo, err);
        break;
      }
    }
    const st = item.statement;
    if (st && (st.state === 'queued' || st.state === 'waiting')) {
      if (!caps.has('POST', '/incidents/:id/statements')) {
        st.state = 'waiting';
        st.error = 'Statement upload is not available yet: kept on this device';
      } else {
        try {
          if (!st.key) {
            // queued by an older version of this page: keyed now, before its first send
            st.key = uuid();
            await idb.put('outbox', item);
          }
          const text = st.statementText.trim();
          await api.post(
            `/incidents/${id}/statements`,
            {
              witnessName: st.witnessName.trim(),
              ...(st.witnessOccupation.trim() ? { witnessOccupation: st.witnessOccupation.trim() } : {}),
              ...(st.under18 && st.witnessAge ? { witnessAgeIfUnder18: Number(st.witnessAge) } : {}),
              statementText: text,
              pageCount: Math.max(1, Math.ceil(text.length / 3000)),
              declarationAcknowledged: st.declarationAcknowledged,
              signatureName: st.signatureName.trim(),
            },
            { headers: { 'idempotency-key': st.key } },
          );
          st.state = 'sent';
          st.error = undefined;
        } catch (err) {
          markFailed(st, err);
        }
      }
    }
    const impact = item.impact;
    if (impact && (impact.state === 'queued' || impact.state === 'waiting')) {
      if (!caps.has('POST', '/incidents/:id/impact-statements')) {
        impact.state = 'waiting';
        impact.error = 'Impact statement upload is not available yet: kept on this device';
      } else {
        try {
          if (!impact.key) {
            impact.key = uuid();
            await idb.put('outbox', item);
          }
          await api.post(`/incidents/${id}/impact-statements`, toImpactRequest(impact), {
            headers: { 'idempotency-key': impact.key },
          });
          impact.state = 'sent';
          impact.error = undefined;
        } catch (err) {
          markFailed(impact, err);
        }
      }
    }
    await idb.put('outbox', item);
  }

  private async reload(): Promise<void> {
    const items = await idb.byOwner<OutboxItem>('outbox', this.owner);
    items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.patch({ items });
  }

  private patch(p: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...p };
    for (const l of this.listeners) {
      l(this.status);
    }
  }
}

/** A part the api refused for good is rejected; anything else stays as it was, to be tried again. */
function markFailed(part: { state?: string; error?: string }, err: unknown): void {
  if (err instanceof ApiError && err.status >= 400 && err.status < 500 && ![408, 409, 429].includes(err.status)) {
    part.state = 'rejected';
  }
  part.error = err instanceof Error ? err.message : 'Could not send';
}
