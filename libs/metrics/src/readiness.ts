import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';

/**
 * Whether this instance should take new traffic. It stops being ready as soon as shutdown begins
 * (SIGTERM or app.close()), while liveness stays up, so a load balancer drains it first.
 */
@Injectable()
export class Readiness {
  private shuttingDown = false;
  private cutShort = false;
  private release?: () => void;

  get accepting(): boolean {
    return !this.shuttingDown;
  }

  /** Marks the instance not ready, then waits `ms` for load balancers to notice (finishDrain ends it early). */
  async drain(ms: number): Promise<void> {
    this.shuttingDown = true;
    if (ms <= 0 || this.cutShort) {
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Ends the drain now, or makes a later one end at once (tests: once they have seen the probes). */
  finishDrain(): void {
    this.cutShort = true;
    this.release?.();
  }
}

/**
 * Provided by each app's root module: Nest runs the root module's destroy hooks first, so the
 * instance turns unready and waits SHUTDOWN_DRAIN_MS before any connection, queue or server closes.
 */
@Injectable()
export class ShutdownDrain implements OnModuleDestroy {
  constructor(
    private readonly readiness: Readiness,
    private readonly config: AppConfig,
  ) {}

  onModuleDestroy(): Promise<void> {
    return this.readiness.drain(this.config.ops.shutdownDrainMs);
  }
}
