import { Injectable } from '@nestjs/common';
import { type Actor, ROLES, scopeOf } from '@app/auth';
import { AppConfig } from '@app/config';
import { type AckOutcome, AlertRepository, alertPayload, type SharedAlertBatch } from '@app/alerts';
import { DomainError, ErrorCode } from '@app/errors';
import { log } from '@app/logging';
import type { AlertPayload, ReplayBatch } from '@app/realtime';
import { RadioMetrics } from './radio-metrics';

/** Waits before a failed replay query is tried again; after the last the sockets are told to ask again. */
const RETRY_MS = [100, 400, 1_600];

/** At most `size` tasks at once; the rest wait their turn in order (a queue, never a pool timeout). */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) {
      this.free -= 1;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.free += 1;
      }
    }
  }
}

interface Waiter {
  actor: Actor;
  requestId: string;
  resolve: (batch: ReplayBatch) => void;
  reject: (err: unknown) => void;
}

/** Sockets waiting for one replay query: same partnership, same audience, same position. */
interface Group {
  /** a store's users and tablets share one query; staff share theirs; anyone else has their own */
  audience: 'staff' | 'store' | 'own';
  afterSeq: number | null;
  waiters: Waiter[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads for the radio (replay) and its one write (acknowledgements); no per-broadcast queries. */
@Injectable()
export class ReplayService {
  /** groups whose query has not started yet: a socket asking the same joins it */
  private readonly pending = new Map<string, Group>();
  private readonly slots: Slots;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly config: AppConfig,
    private readonly metrics: RadioMetrics,
  ) {
    this.slots = new Slots(config.radio.replayConcurrency);
    metrics.countReplaysWaitingWith(() => this.slots.queued);
  }

  /**
   * The alerts after `afterSeq` the actor is entitled to now, oldest first, at most one batch; with
   * no `afterSeq`, the ones still in force. Sockets asking the same thing while a query waits for
   * its turn share it (a connection storm costs a query per store, not per socket); a query that
   * fails is tried again a few times, then the caller gets SERVICE_UNAVAILABLE (ask again later).
   */
  async replay(actor: Actor, requestId: string, afterSeq: number | null): Promise<ReplayBatch> {
    const defects = this.config.testDefects;
    // broken variant (negative control of R2-dup): the client's position ignored, everything again
    const from = defects.has('replay-duplicates') ? 0 : afterSeq;
    const batch = this.config.radio.replayCoalesce
      ? await this.coalesced(actor, requestId, from)
      : await this.alone(actor, requestId, from);
    // broken variant (negative control of R2/R3): the oldest alert of a batch left out
    const sent = defects.has('replay-skips-one') ? batch.alerts.slice(1) : batch.alerts;
    return { alerts: sent, more: batch.more };
  }

  acknowledge(actor: Actor, requestId: string, alertId: string): Promise<AckOutcome> {
    return this.alerts.acknowledge(scopeOf(actor, requestId), alertId);
  }

  /** One query for this socket alone, unqueued (RADIO_REPLAY_COALESCE=false: the old behaviour). */
  private async alone(actor: Actor, requestId: string, afterSeq: number | null): Promise<ReplayBatch> {
    this.metrics.replayQueries.inc();
    const { alerts, more } = await this.alerts.findAfter(
      scopeOf(actor, requestId),
      afterSeq,
      this.config.radio.replayBatch,
    );
    return { alerts: alerts.map(alertPayload), more };
  }

  private coalesced(actor: Actor, requestId: string, afterSeq: number | null): Promise<ReplayBatch> {
    const staff = ROLES.partnershipStaff.includes(actor.role) && actor.kind === 'user';
    const audience = staff ? 'staff' : actor.storeId ? 'store' : 'own';
    const who = audience === 'staff' ? '' : audience === 'store' ? actor.storeId : actor.id;
    const key = `${actor.partnershipId}|${audience}:${who}|${afterSeq ?? 'in-force'}`;
    return new Promise<ReplayBatch>((resolve, reject) => {
      const waiter = { actor, requestId, resolve, reject };
      const group = this.pending.get(key);
      if (group) {
        group.waiters.push(waiter);
        return;
      }
      const created: Group = { audience, afterSeq, waiters: [waiter] };
      this.pending.set(key, created);
      void this.runGroup(key, created);
    });
  }

  private async runGroup(key: string, group: Group): Promise<void> {
    // sockets of a storm trickle in through the handshake: gather them a moment before starting
    await sleep(this.config.radio.replayGatherMs);
    let shared: SharedAlertBatch;
    try {
      shared = await this.withRetry(group.waiters.length, () =>
        this.slots.run(() => {
          // From here on a socket asking the same waits for the next query: it joined its rooms
          // after this one may have read, and must not miss an alert committed in between.
          if (this.pending.get(key) === group) {
            this.pending.delete(key);
          }
          return this.query(group);
        }),
      );
    } catch (err) {
      if (this.pending.get(key) === group) {
        this.pending.delete(key);
      }
      for (const w of group.waiters) {
        w.reject(err);
      }
      return;
    }
    try {
      this.settle(group, shared);
    } catch (err) {
      // never leave a socket waiting (a promise settles once: the ones answered keep their answer)
      for (const w of group.waiters) {
        w.reject(err);
      }
    }
  }

  /** Gives every waiting socket its part of the shared rows: the store's, plus what it sent. */
  private settle(group: Group, shared: SharedAlertBatch): void {
    const payloads = new Map(shared.rows.map((r) => [r.alert.id, alertPayload(r.alert)]));
    for (const w of group.waiters) {
      const mine = shared.rows.filter((r) => r.shared || r.alert.senderId === w.actor.id);
      if (!shared.more || mine.length > 0) {
        // complete up to the last row read; with `more` the client asks on from its last alert
        w.resolve({ alerts: mine.map((r) => payloads.get(r.alert.id) as AlertPayload), more: shared.more });
      } else {
        // a full batch of other senders' alerts and none of this actor's: read its own
        this.withRetry(1, () => this.slots.run(() => this.alone(w.actor, w.requestId, group.afterSeq))).then(
          w.resolve,
          w.reject,
        );
      }
    }
  }

  private query(group: Group): Promise<SharedAlertBatch> {
    const first = group.waiters[0];
    const scope = scopeOf(first.actor, first.requestId);
    const limit = this.config.radio.replayBatch;
    this.metrics.replayQueries.inc();
    if (group.audience === 'store') {
      const actorIds = [...new Set(group.waiters.map((w) => w.actor.id))];
      return this.alerts.findAfterForStore(scope, actorIds, group.afterSeq, limit);
    }
    // staff hear the whole partnership; anyone else here is the one actor of the key
    return this.alerts.findAfter(scope, group.afterSeq, limit).then(({ alerts, more }) => ({
      rows: alerts.map((alert) => ({ alert, shared: true })),
      more,
    }));
  }

  /** Tries `work` again after a wait on any failure; then SERVICE_UNAVAILABLE, which clients retry. */
  private async withRetry<T>(sockets: number, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        this.metrics.replayQueryFailures.inc();
        log().warn({ err, attempt, sockets }, 'radio replay query failed');
        if (attempt >= RETRY_MS.length) {
          throw new DomainError(ErrorCode.ServiceUnavailable, 'The radio is busy; ask for the replay again');
        }
        await sleep(RETRY_MS[attempt]);
      }
    }
  }
}
