import { Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { AppConfig } from '@app/config';
import { PackBuildRepository } from '@app/cases';
import { buildPackInChildProcess, generatorName, packRelativePath } from '@app/evidence';
import { log } from '@app/logging';
import { JobName, QueueName } from '@app/queue';
import { ObjectStorage, storageSettings } from '@app/storage';
import type { HandlerMap, QueueProcessor } from '../job-handler';
import { WorkerMetrics } from '../ops/worker-metrics';
import { planPack } from './pack-plan';

/** How often progress reaches the database while a pack builds. */
const PROGRESS_EVERY_MS = 500;

/**
 * Builds evidence packs. The job reads the case in one transaction, hands a plain-data plan to a
 * child process that streams the ZIP to local scratch disk (PDF and zlib work off this event loop),
 * stores the finished ZIP in the object storage, then records the result. A redelivered job finds
 * the pack finished and does nothing; a failed build is retried by BullMQ and rebuilds from scratch
 * (the ZIP is written to `.part` and renamed when complete; a put replaces an unrecorded earlier one).
 */
@Injectable()
export class EvidenceExportProcessor implements QueueProcessor<QueueName.EvidenceExport> {
  readonly queue = QueueName.EvidenceExport;
  readonly concurrency: number;

  constructor(
    private readonly packs: PackBuildRepository,
    private readonly config: AppConfig,
    private readonly metrics: WorkerMetrics,
    private readonly storage: ObjectStorage,
  ) {
    this.concurrency = config.packs.buildConcurrency;
  }

  readonly handlers = {
    [JobName.BuildEvidencePack]: async ({ packId }, job) => {
      const source = await this.packs.start(packId);
      if (!source) {
        return { skipped: true };
      }
      const started = Date.now();
      const plan = planPack(
        source,
        storageSettings(this.config),
        this.config.packs.signingKeyPath,
        new Date(),
        generatorName(this.config.packs.build),
      );
      let lastWrite = 0;
      let pending = Promise.resolve();
      try {
        const result = await buildPackInChildProcess(plan, {
          onProgress: (p) => {
            const now = Date.now();
            if (now - lastWrite < PROGRESS_EVERY_MS && p.done < p.total) {
              return;
            }
            lastWrite = now;
            pending = pending
              .then(() => this.packs.progress(packId, p.done, p.total, p.stage))
              .then(() => job.updateProgress({ done: p.done, total: p.total }))
              .catch((err: unknown) => log().warn({ err, packId }, 'could not record pack progress'));
          },
        });
        await pending;
        const storagePath = packRelativePath(source.pack.partnershipId, packId);
        await this.storage.put(
          storagePath,
          { path: plan.outPath },
          { contentType: 'application/zip', sha256: result.sha256 },
        );
        await this.packs.finish(packId, {
          sha256: result.sha256,
          sizeBytes: result.sizeBytes,
          fileCount: result.fileCount,
          storagePath,
          checkpointSeq: result.checkpoint.seq,
          checkpointHash: result.checkpoint.head_hash,
          keyFingerprint: result.publicKeyFingerprint,
          builderMaxRssBytes: result.maxRssBytes,
          buildMs: Date.now() - started,
          ttlHours: this.config.packs.ttlHours,
        });
        log().info(
          {
            packId,
            files: result.fileCount,
            bytes: result.sizeBytes,
            maxRss: result.maxRssBytes,
            ms: Date.now() - started,
          },
          'evidence pack built',
        );
        this.metrics.packBuild.observe({ outcome: 'built' }, (Date.now() - started) / 1000);
        return { sha256: result.sha256, sizeBytes: result.sizeBytes, maxRssBytes: result.maxRssBytes };
      } catch (err) {
        this.metrics.packBuild.observe({ outcome: 'failed' }, (Date.now() - started) / 1000);
        await pending;
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (final) {
          await this.packs.fail(packId, err instanceof Error ? err.message : String(err));
        }
        throw err;
      } finally {
        await rm(plan.outPath, { force: true });
      }
    },
    [JobName.ExpireEvidencePacks]: async () => {
      const paths = await this.packs.expire();
      // the rows are expired already: one object the store refuses to delete now must not keep
      // the others (the job would not see these paths again)
      let failed = 0;
      for (const p of paths) {
        await this.storage.delete(p).catch((err: unknown) => {
          failed += 1;
          log().warn({ err }, 'could not delete an expired evidence pack');
        });
      }
      log().info({ expired: paths.length, failed }, 'expired evidence packs');
      return { expired: paths.length };
    },
  } satisfies HandlerMap<QueueName.EvidenceExport>;
}
