import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { S3Settings } from '@app/config';
import {
  assertKey,
  type ObjectHead,
  ObjectStorage,
  type PutOptions,
  type PutResult,
  type PutSource,
  RetainedObjectError,
  type RetentionSupport,
  stillRetained,
} from './object-storage';
import { release, stage } from './stage';

export type S3LockMode = 'GOVERNANCE' | 'COMPLIANCE';

const status = (err: unknown) =>
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const notFound = (err: unknown) => status(err) === 404;
/** another writer created the key between our look and our conditional put */
const raced = (err: unknown) => status(err) === 412 || status(err) === 409;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph; s3rver in tests). Each put is staged
 * and hashed on local disk first, then sent whole with its length and SHA-256 (`x-amz-checksum-sha256`,
 * which the service checks) and the hash in its metadata, so a retried put can be recognised.
 * Retained objects get S3 Object Lock (`mode`, until `retainUntil`) when the bucket has Object Lock
 * enabled; otherwise the retention date is kept in the metadata and only the hub honours it.
 */
export class S3ObjectStorage extends ObjectStorage {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private lock: Promise<RetentionSupport> | null = null;

  constructor(
    s3: S3Settings,
    private readonly scratchDir: string,
    private readonly mode: S3LockMode,
  ) {
    super();
    this.bucket = s3.bucket;
    this.client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint ?? undefined,
      forcePathStyle: s3.forcePathStyle,
      credentials:
        s3.accessKeyId && s3.secretAccessKey
          ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
          : undefined,
      // the SDK's default CRC trailers (aws-chunked bodies) are refused by many S3-compatible
      // services; every put carries its own SHA-256 checksum instead
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, source: PutSource, options: PutOptions): Promise<PutResult> {
    assertKey(key);
    const staged = await stage(key, source, this.scratchDir, options.sha256);
    const result = { key, sha256: staged.sha256, size: staged.size };
    try {
      const existing = await this.describe(key);
      if (existing?.sha256 === staged.sha256) {
        return { ...result, created: false };
      }
      if (existing && stillRetained(existing.retainUntil)) {
        throw new RetainedObjectError(key, existing.retainUntil);
      }
      const until = options.retainUntil;
      const locked = until !== undefined && (await this.retentionSupport()).serverEnforced;
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: createReadStream(staged.path),
            ContentLength: staged.size,
            ContentType: options.contentType,
            ChecksumSHA256: Buffer.from(staged.sha256, 'hex').toString('base64'),
            Metadata: { sha256: staged.sha256, ...(until ? { 'retain-until': until.toISOString() } : {}) },
            // create only: a key that appeared meanwhile is judged again below
            IfNoneMatch: existing ? undefined : '*',
            ...(locked ? { ObjectLockMode: this.mode, ObjectLockRetainUntilDate: until } : {}),
          }),
        );
      } catch (err) {
        if (!existing && raced(err) && (await this.describe(key))?.sha256 === staged.sha256) {
          return { ...result, created: false };
        }
        throw err;
      }
      return { ...result, created: true };
    } finally {
      await release(staged);
    }
  }

  async get(key: string): Promise<Readable | null> {
    assertKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      if (notFound(err)) {
        return null;
      }
      throw err;
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    const found = await this.describe(key);
    return found && { size: found.size, retainUntil: found.retainUntil };
  }

  /** The object's size, the hash recorded at put, and the later of its lock and recorded retention. */
  private async describe(
    key: string,
  ): Promise<{ size: number; sha256: string | null; retainUntil: Date | null } | null> {
    assertKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const recorded = out.Metadata?.['retain-until'] ? new Date(out.Metadata['retain-until']) : null;
      const dates = [out.ObjectLockRetainUntilDate, recorded].filter(
        (d): d is Date => d instanceof Date && !Number.isNaN(d.getTime()),
      );
      const latest = dates.sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
      return {
        size: out.ContentLength ?? 0,
        sha256: out.Metadata?.sha256 ?? null,
        retainUntil: stillRetained(latest) ? latest : null,
      };
    } catch (err) {
      if (notFound(err)) {
        return null;
      }
      throw err;
    }
  }

  protected async remove(key: string): Promise<boolean> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter(Boolean));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /**
   * Asks the bucket once whether it has Object Lock. Only a definite answer is remembered: a
   * network failure is thrown (the put that asked fails and is retried), not taken for "no".
   */
  retentionSupport(): Promise<RetentionSupport> {
    this.lock ??= this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.bucket })).then(
      (out): RetentionSupport =>
        out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled'
          ? {
              serverEnforced: true,
              detail: `bucket ${this.bucket} has S3 Object Lock: retained objects are locked in ${this.mode} mode`,
            }
          : this.noLock('Object Lock is not enabled'),
      (err: unknown) => {
        const s = status(err);
        if (s === 404 || s === 501 || s === 400 || s === 403) {
          return this.noLock(`${(err as Error).name}`);
        }
        this.lock = null;
        throw err;
      },
    );
    return this.lock;
  }

  private noLock(why: string): RetentionSupport {
    return {
      serverEnforced: false,
      detail: `bucket ${this.bucket} has no S3 Object Lock (${why}): retention is recorded in each object's metadata and enforced by the hub only`,
    };
  }

  override close(): void {
    this.client.destroy();
  }
}
