import type { JobName } from './jobs';

/** Deterministic job ids: `-` separated, never `:` and never a bare integer. */
export const jobIds = {
  /** a job relayed from an outbox row */
  outbox: (outboxId: string) => `outbox-${outboxId}`,
  /** a scheduled job */
  scheduled: (name: JobName) => `schedule-${name}`,
};
