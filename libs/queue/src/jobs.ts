/** Every queue, job and payload. The strings are Redis keys: never rename without draining. */
export enum QueueName {
  Retention = 'retention',
}

export enum JobName {
  PurgeExpiredSessions = 'purge-expired-sessions',
}

export interface JobPayloads {
  [JobName.PurgeExpiredSessions]: { requestId: string };
}

/** Which queue each job runs on. */
export const JOB_QUEUE: { [J in JobName]: QueueName } = {
  [JobName.PurgeExpiredSessions]: QueueName.Retention,
};

export type JobsOf<Q extends QueueName> = {
  [J in JobName]: (typeof JOB_QUEUE)[J] extends Q ? J : never;
}[JobName];
