/** Every queue, job and payload. The strings are Redis keys: never rename without draining. */
export enum QueueName {
  Retention = 'retention',
  Aggregation = 'aggregation',
  IdempotencyKeys = 'idempotency-keys',
  Offenders = 'offenders',
  Reports = 'reports',
  EvidenceExport = 'evidence-export',
}

export enum JobName {
  PurgeExpiredSessions = 'purge-expired-sessions',
  /** erase incidents and alerts past their retention period (legal holds exempt), logging each erasure */
  ApplyRetention = 'apply-retention',
  /** recompute one partnership's daily incident counts for one London day */
  RollupDay = 'rollup-day',
  /** delete Idempotency-Keys older than their published retention (>= 30 days) */
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
  /** recompute one subject's aggregates and serial flag from its links (the incidents trigger names it too) */
  RefreshSubject = 'offender-refresh-subject',
  /** fold every partnership's pending statistics changes into the rollups */
  FoldRollups = 'fold-rollups',
  /** drop and rebuild every statistics rollup from the incidents table */
  RebuildRollups = 'rebuild-rollups',
  /** render a quarterly partnership report (PDF) */
  BuildPartnershipReport = 'build-partnership-report',
  /** build one case's evidence pack ZIP in a separate process */
  BuildEvidencePack = 'build-evidence-pack',
  /** mark packs past their expiry and delete their files */
  ExpireEvidencePacks = 'expire-evidence-packs',
}

export interface JobPayloads {
  [JobName.PurgeExpiredSessions]: { requestId: string };
  [JobName.ApplyRetention]: { requestId: string };
  [JobName.RollupDay]: { partnershipId: string; day: string; requestId: string };
  [JobName.PurgeIdempotencyKeys]: { requestId: string };
  [JobName.RefreshSubject]: { partnershipId: string; subjectId: string; requestId: string };
  [JobName.FoldRollups]: { partnershipId?: string; requestId: string };
  [JobName.RebuildRollups]: { requestId: string };
  [JobName.BuildPartnershipReport]: { partnershipId: string; reportId: string; requestId: string };
  [JobName.BuildEvidencePack]: { partnershipId: string; packId: string; requestId: string };
  [JobName.ExpireEvidencePacks]: { requestId: string };
}

/** Which queue each job runs on. */
export const JOB_QUEUE = {
  [JobName.PurgeExpiredSessions]: QueueName.Retention,
  [JobName.ApplyRetention]: QueueName.Retention,
  [JobName.RollupDay]: QueueName.Aggregation,
  [JobName.PurgeIdempotencyKeys]: QueueName.IdempotencyKeys,
  [JobName.RefreshSubject]: QueueName.Offenders,
  [JobName.FoldRollups]: QueueName.Aggregation,
  [JobName.RebuildRollups]: QueueName.Aggregation,
  [JobName.BuildPartnershipReport]: QueueName.Reports,
  [JobName.BuildEvidencePack]: QueueName.EvidenceExport,
  [JobName.ExpireEvidencePacks]: QueueName.EvidenceExport,
} as const satisfies { [J in JobName]: QueueName };

/**
 * Jobs that stand for every job of the same key: at most one runs and one waits per key (BullMQ's
 * deduplication with keepLastIfActive). A rollup-day job folds all of its partnership's pending
 * changes, so while one runs, the reports that arrive meanwhile need one more fold after it, not one
 * each (under load they queued on the partnership's fold lock).
 */
export const COALESCED: { [J in JobName]?: (data: JobPayloads[J]) => string } = {
  [JobName.RollupDay]: ({ partnershipId }) => `fold-${partnershipId}`,
};

/**
 * The recurring jobs, in one map: a fixed interval, or a cron pattern on London wall-clock time.
 * The worker schedules each at boot (BullMQ job schedulers, one per job name, so every worker
 * instance upserts the same one).
 */
export const SCHEDULES: Partial<Record<JobName, { every: number } | { pattern: string }>> = {
  [JobName.FoldRollups]: { every: 60_000 },
  [JobName.ApplyRetention]: { pattern: '53 2 * * *' },
  [JobName.PurgeExpiredSessions]: { pattern: '17 3 * * *' },
  [JobName.PurgeIdempotencyKeys]: { pattern: '41 3 * * *' },
  [JobName.ExpireEvidencePacks]: { pattern: '23 * * * *' },
};

export type JobsOf<Q extends QueueName> = {
  [J in JobName]: (typeof JOB_QUEUE)[J] extends Q ? J : never;
}[JobName];
