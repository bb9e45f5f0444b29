/** Every queue, job and payload. The strings are Redis keys: never rename without draining. */
export enum QueueName {
  Retention = 'retention',
  Aggregation = 'aggregation',
  IdempotencyKeys = 'idempotency-keys',
}

export enum JobName {
  PurgeExpiredSessions = 'purge-expired-sessions',
  /** recompute one partnership's daily incident counts for one London day */
  RollupDay = 'rollup-day',
  /** delete Idempotency-Keys older than their published retention (>= 30 days) */
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
}

export interface JobPayloads {
  [JobName.PurgeExpiredSessions]: { requestId: string };
  [JobName.RollupDay]: { partnershipId: string; day: string; requestId: string };
  [JobName.PurgeIdempotencyKeys]: { requestId: string };
}

/** Which queue each job runs on. */
export const JOB_QUEUE = {
  [JobName.PurgeExpiredSessions]: QueueName.Retention,
  [JobName.RollupDay]: QueueName.Aggregation,
  [JobName.PurgeIdempotencyKeys]: QueueName.IdempotencyKeys,
} as const satisfies { [J in JobName]: QueueName };

export type JobsOf<Q extends QueueName> = {
  [J in JobName]: (typeof JOB_QUEUE)[J] extends Q ? J : never;
}[JobName];
