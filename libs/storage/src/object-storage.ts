import type { Readable } from 'node:stream';

/**
 * What a put reads: a stream, bytes in memory, or a finished file on local disk, which the store
 * may take over (the local store links it rather than copying): its owner may remove it, never
 * change it.
 */
export type PutSource = Readable | Buffer | { path: string };

export interface PutOptions {
  contentType: string;
  /** the SHA-256 (hex) the bytes must have; on a mismatch nothing is stored */
  sha256?: string;
  /** write-once until then: no delete, no overwrite (S3 Object Lock where the bucket has it) */
  retainUntil?: Date;
}

export interface PutResult {
  key: string;
  sha256: string;
  size: number;
  /** false: the key already held these bytes (a retried put), left as it was */
  created: boolean;
}

export interface ObjectHead {
  size: number;
  /** until when the object is write-once; null when it is not (or no longer) retained */
  retainUntil: Date | null;
}

/** How write-once retention is enforced by this store. */
export interface RetentionSupport {
  /** true: the service itself refuses deletes (S3 Object Lock on the bucket) */
  serverEnforced: boolean;
  detail: string;
}

/** A delete or overwrite of an object still under retention. */
export class RetainedObjectError extends Error {
  constructor(
    readonly key: string,
    readonly retainUntil: Date,
  ) {
    super(`${key} is retained (write-once) until ${retainUntil.toISOString()}`);
  }
}

/** The bytes received do not have the SHA-256 the caller expected; nothing was stored. */
export class IntegrityError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${key}: the content's SHA-256 is ${actual}, not the expected ${expected}`);
  }
}

/**
 * Where masters, viewing copies, packs and reports are kept, by key (`masters/<p>/<aa>/<sha256>`,
 * libs/evidence layout.ts). A put is whole or absent: the bytes are read and hashed to the end
 * before anything appears under the key. Used as the Nest injection token too.
 */
export abstract class ObjectStorage {
  abstract readonly driver: 'local' | 's3';

  /**
   * Stores the bytes under `key`. The same bytes again are a no-op (`created: false`); other bytes
   * replace the object unless it is retained (RetainedObjectError).
   */
  abstract put(key: string, source: PutSource, options: PutOptions): Promise<PutResult>;

  /** The object's bytes, or null when there is no object under the key. */
  abstract get(key: string): Promise<Readable | null>;

  /** Size and retention, or null when there is no object under the key. */
  abstract head(key: string): Promise<ObjectHead | null>;

  /** Removes the object; false when there was none; RetainedObjectError while it is retained. */
  async delete(key: string): Promise<boolean> {
    const head = await this.head(key);
    if (!head) {
      return false;
    }
    if (stillRetained(head.retainUntil)) {
      throw new RetainedObjectError(key, head.retainUntil);
    }
    return this.remove(key);
  }

  /** The driver's delete, once `delete` has checked the object exists and is not retained. */
  protected abstract remove(key: string): Promise<boolean>;

  /** Every key starting with `prefix`, sorted. */
  abstract list(prefix: string): Promise<string[]>;

  /** Whether the store itself enforces retention (reported at start-up). */
  abstract retentionSupport(): Promise<RetentionSupport>;

  /** Releases connections (the S3 client's sockets). */
  close(): void {}

  /** The whole object in memory (small objects: viewing copies for a printed sheet); null when absent. */
  async getBuffer(key: string): Promise<Buffer | null> {
    const body = await this.get(key);
    if (!body) {
      return null;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * Keys are relative paths of plain segments: no `..`, no leading `/`, nothing a shell or URL would
 * bend; `tmp/` is the scratch folder's, never a key.
 */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.length > 512 || key.split('/')[0] === 'tmp') {
    throw new Error(`not a storage key: ${JSON.stringify(key.slice(0, 80))}`);
  }
}

/** Retained now? (a retention date in the past no longer binds) */
export function stillRetained(until: Date | null, now = new Date()): until is Date {
  return until !== null && until.getTime() > now.getTime();
}
