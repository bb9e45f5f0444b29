import { Injectable } from '@nestjs/common';
import { type Actor, scopeOf } from '@app/auth';
import { AppConfig } from '@app/config';
import { type AckOutcome, AlertRepository, alertPayload } from '@app/database';
import type { ReplayBatch } from '@app/realtime';

/** Reads for the radio (replay) and its one write (acknowledgements); no per-broadcast queries. */
@Injectable()
export class ReplayService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * The alerts after `afterSeq` the actor is entitled to now, oldest first, at most one batch; with
   * no `afterSeq`, the ones still in force.
   */
  async replay(actor: Actor, requestId: string, afterSeq: number | null): Promise<ReplayBatch> {
    const { alerts, more } = await this.alerts.findAfter(
      scopeOf(actor, requestId),
      afterSeq,
      this.config.radio.replayBatch,
    );
    return { alerts: alerts.map(alertPayload), more };
  }

  acknowledge(actor: Actor, requestId: string, alertId: string): Promise<AckOutcome> {
    return this.alerts.acknowledge(scopeOf(actor, requestId), alertId);
  }
}
