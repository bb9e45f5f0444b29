import type { HistoryEntry } from './programme';

/**
 * The alert oracle of R2, R2-dup and R3 (quality.md section 3): pure functions over a history read
 * back from disk and the alerts committed in PostgreSQL, so negative controls can feed them a
 * deliberately broken history.
 *
 * History kinds written by the radio clients (test/lib/radio-harness.ts):
 * - `alert-raw`: one alert as it came off the socket (a live event, an item of the handshake
 *   replay, an item of a replay answer), before the client's dedupe; key = alert id
 * - `alert-shown`: the alert as the client showed it after dedupe; key = alert id
 * - `connect`, `live`, `disconnect`, `stale`, `resync`: the client's connection timeline
 * and by the raiser: `raise-alert` (key = alert id once answered, completeAt = the 201's arrival).
 */
export interface CommittedAlert {
  id: string;
  seq: number;
  targetKind: string;
  storeId: string | null;
  talkGroupStoreIds: string[];
  senderId: string | null;
}

/** Who a client is, as far as entitlement goes. */
export interface AudienceMember {
  client: string;
  actorId: string;
  storeId: string | null;
  /** coordinators, admins and police (users): every alert of the partnership */
  staff: boolean;
}

/**
 * The alerts a client is entitled to, restated from the domain rule (not from the radio's code):
 * staff hear everything; a store hears partnership-wide alerts, its own store's, its talk groups'
 * and what it sent itself.
 */
export function entitled(alerts: CommittedAlert[], who: AudienceMember): CommittedAlert[] {
  if (who.staff) {
    return alerts;
  }
  return alerts.filter(
    (a) =>
      a.targetKind === 'partnership' ||
      (who.storeId !== null && a.storeId === who.storeId) ||
      (who.storeId !== null && a.talkGroupStoreIds.includes(who.storeId)) ||
      a.senderId === who.actorId,
  );
}

export interface ClientAlertCounts {
  expected: number;
  shown: number;
  missing: number;
  /** shown but not entitled (or not committed): a leak or a phantom */
  unexpected: number;
  uiDuplicates: number;
  rawReceipts: number;
  rawDuplicates: number;
  /** shown with a lower seq than one shown before it (reported, not gated) */
  outOfOrder: number;
}

export interface AlertCounts {
  clients: number;
  committed: number;
  expectedDeliveries: number;
  missing: number;
  clientsWithMissing: number;
  unexpected: number;
  uiDuplicates: number;
  rawReceipts: number;
  rawDuplicates: number;
  outOfOrder: number;
}

const byClient = (history: HistoryEntry[], kind: string) => {
  const m = new Map<string, HistoryEntry[]>();
  for (const e of history) {
    if (e.kind === kind) {
      (m.get(e.client) ?? m.set(e.client, []).get(e.client)!).push(e);
    }
  }
  return m;
};

export function checkClientAlerts(
  committed: CommittedAlert[],
  who: AudienceMember,
  shown: HistoryEntry[],
  raw: HistoryEntry[],
): ClientAlertCounts {
  const want = new Set(entitled(committed, who).map((a) => a.id));
  const shownIds = shown.map((e) => String(e.key));
  const shownSet = new Set(shownIds);
  const rawIds = raw.map((e) => String(e.key));
  let outOfOrder = 0;
  let high = -1;
  for (const e of shown) {
    const seq = Number(e.value?.seq ?? -1);
    if (seq < high) {
      outOfOrder += 1;
    }
    high = Math.max(high, seq);
  }
  return {
    expected: want.size,
    shown: shownIds.length,
    missing: [...want].filter((id) => !shownSet.has(id)).length,
    unexpected: [...shownSet].filter((id) => !want.has(id)).length,
    uiDuplicates: shownIds.length - shownSet.size,
    rawReceipts: rawIds.length,
    rawDuplicates: rawIds.length - new Set(rawIds).size,
    outOfOrder,
  };
}

/** Per client: the alert ids shown after dedupe against those committed for its rooms. */
export function checkAlerts(
  committed: CommittedAlert[],
  audience: AudienceMember[],
  history: HistoryEntry[],
): { totals: AlertCounts; perClient: Map<string, ClientAlertCounts> } {
  const shown = byClient(history, 'alert-shown');
  const raw = byClient(history, 'alert-raw');
  const perClient = new Map<string, ClientAlertCounts>();
  const totals: AlertCounts = {
    clients: audience.length,
    committed: committed.length,
    expectedDeliveries: 0,
    missing: 0,
    clientsWithMissing: 0,
    unexpected: 0,
    uiDuplicates: 0,
    rawReceipts: 0,
    rawDuplicates: 0,
    outOfOrder: 0,
  };
  for (const who of audience) {
    const c = checkClientAlerts(committed, who, shown.get(who.client) ?? [], raw.get(who.client) ?? []);
    perClient.set(who.client, c);
    totals.expectedDeliveries += c.expected;
    totals.missing += c.missing;
    totals.clientsWithMissing += c.missing > 0 ? 1 : 0;
    totals.unexpected += c.unexpected;
    totals.uiDuplicates += c.uiDuplicates;
    totals.rawReceipts += c.rawReceipts;
    totals.rawDuplicates += c.rawDuplicates;
    totals.outOfOrder += c.outOfOrder;
  }
  return { totals, perClient };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** When the raiser got each alert's 201 (an upper bound of its commit), by alert id. */
export function ackTimes(history: HistoryEntry[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of history) {
    if (e.kind === 'raise-alert' && e.outcome === 'ok' && e.key && e.completeAt) {
      m.set(e.key, e.completeAt);
    }
  }
  return m;
}

/**
 * Catch-up after a fault ends at `backAt`: per client, how long after `backAt` it had shown every
 * entitled alert acknowledged to the raiser by `backAt` (0 when it already had them; Infinity when
 * one never arrived). One figure per client and fault.
 */
export function catchUpTimes(
  committed: CommittedAlert[],
  audience: AudienceMember[],
  history: HistoryEntry[],
  backAt: number,
): number[] {
  const acks = ackTimes(history);
  const shown = byClient(history, 'alert-shown');
  return audience.map((who) => {
    const at = new Map((shown.get(who.client) ?? []).map((e) => [String(e.key), e.invokeAt]));
    let latest = backAt;
    for (const a of entitled(committed, who)) {
      const acked = acks.get(a.id);
      if (acked === undefined || acked > backAt) {
        continue;
      }
      const t = at.get(a.id);
      if (t === undefined) {
        return Number.POSITIVE_INFINITY;
      }
      latest = Math.max(latest, t);
    }
    return latest - backAt;
  });
}

/** Per shown alert: from the raiser's 201 to the client showing it (0 when shown first). */
export function deliveryLatencies(history: HistoryEntry[]): number[] {
  const acks = ackTimes(history);
  const out: number[] = [];
  for (const e of history) {
    if (e.kind === 'alert-shown') {
      const acked = acks.get(String(e.key));
      if (acked !== undefined) {
        out.push(Math.max(0, e.invokeAt - acked));
      }
    }
  }
  return out;
}

/**
 * Reconnect after a fault at `faultAt`: per client that lost its connection within `windowMs` of
 * it, the time from the fault to the client being live again (replay done); Infinity if never.
 */
export function reconnectTimes(history: HistoryEntry[], clients: string[], faultAt: number, windowMs = 5000) {
  const times: number[] = [];
  for (const client of clients) {
    const events = history.filter((e) => e.client === client);
    const lost = events.find(
      (e) => e.kind === 'disconnect' && e.invokeAt >= faultAt && e.invokeAt <= faultAt + windowMs,
    );
    if (!lost) {
      continue;
    }
    const back = events.find((e) => e.kind === 'live' && e.invokeAt >= lost.invokeAt);
    times.push(back ? back.invokeAt - faultAt : Number.POSITIVE_INFINITY);
  }
  return times;
}

/** Connection-state recovery: reconnections socket.io itself recovered (not gated). */
export function csrRecovery(history: HistoryEntry[]): { reconnections: number; recovered: number } {
  const seen = new Set<string>();
  let reconnections = 0;
  let recovered = 0;
  for (const e of history) {
    if (e.kind !== 'connect') {
      continue;
    }
    if (seen.has(e.client)) {
      reconnections += 1;
      recovered += e.value?.recovered ? 1 : 0;
    }
    seen.add(e.client);
  }
  return { reconnections, recovered };
}
