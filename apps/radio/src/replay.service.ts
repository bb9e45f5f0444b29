import { Injectable } from '@nestjs/common';
import { type Actor, scopeOf } from '@app/auth';
import { AppConfig } from '@app/config';
import { type AckOutcome, AlertRepository, alertPayload } from '@app/alerts';
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
    const defects = this.config.testDefects;
    const { alerts, more } = await this.alerts.findAfter(
      scopeOf(actor, requestId),
      // broken variant (negative control of R2-dup): the client's position ignored, everything again
      defects.has('replay-duplicates') ? 0 : afterSeq,
      this.config.radio.replayBatch,
    );
    // broken variant (negative control of R2/R3): the oldest alert of a batch left out
    const sent = defects.has('replay-skips-one') ? alerts.slice(1) : alerts;
    return { alerts: sent.map(alertPayload), more };
  }

  acknowledge(actor: Actor, requestId: string, alertId: string): Promise<AckOutcome> {
    return this.alerts.acknowledge(scopeOf(actor, requestId), alertId);
  }
}
