import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/errors';
import { derivativeRelativePath, masterRelativePath, storageRoot } from '@app/evidence';
import type { StoredContent } from '@app/incidents';
import { log } from '@app/logging';
import { ObjectStorage, retainUntilFor } from '@app/storage';
import { ACCEPTED, type AcceptedType, classify, HEAD_BYTES, MarkerScanner, TAIL_BYTES } from './magic';
import { makeViewingCopies } from './viewing-copy';

export interface Received {
  /** the temporary file; always removed by `discard` or `place` */
  tmpPath: string;
  sha256: string;
  size: number;
  mediaType: AcceptedType;
}

export interface Derivative {
  tmpPath: string;
  sha256: string;
  size: number;
  mediaType: string;
  /** the viewing copy's thumbnail, stored beside it */
  thumbnail?: Derivative;
}

/**
 * 413 for an upload over the limit. `Connection: close` makes Node end the connection once the
 * answer is written instead of reading (and discarding) the rest of the body for keep-alive: a
 * client pushing gigabytes costs the server at most what it read before refusing.
 */
export function tooLarge(maxBytes: number): DomainError {
  return new DomainError(
    ErrorCode.PayloadTooLarge,
    `The file is larger than the ${maxBytes}-byte limit`,
    [{ field: 'body', problems: [`must be at most ${maxBytes} bytes`] }],
    { Connection: 'close' },
  );
}

/**
 * Content-addressed, write-once objects (`masters/<partnership>/<aa>/<sha256>` and `derivatives/…`)
 * in the configured ObjectStorage. Uploads stream to STORAGE_DIR/tmp/ while being hashed, sized and
 * scanned; only a verified file is stored under its key (never replacing other bytes; masters
 * retained per STORAGE_LOCK_*), and the temporary file always goes.
 */
@Injectable()
export class EvidenceStore {
  private readonly root: string;
  private readonly maxBytes: number;
  private readonly lock: AppConfig['storage']['lock'];
  /** S3's negative control: type from the declared file name when the bytes fail (TEST_DEFECTS=mime-fallback) */
  private readonly mimeFallback: boolean;
  /** E1a's negative control: the client's SHA-256 not compared (TEST_DEFECTS=hash-check-off) */
  private readonly hashCheckOff: boolean;

  constructor(
    config: AppConfig,
    private readonly storage: ObjectStorage,
  ) {
    this.mimeFallback = config.testDefects.has('mime-fallback');
    this.hashCheckOff = config.testDefects.has('hash-check-off');
    this.root = storageRoot(config.storage.dir);
    this.maxBytes = config.storage.evidenceMaxBytes;
    this.lock = config.storage.lock;
  }

  /** The storage key of a master (evidence, subject image, proof of service). */
  masterPath(partnershipId: string, sha256: string): string {
    return masterRelativePath(partnershipId, sha256);
  }

  /** The storage key of a metadata-free viewing copy. */
  derivativePath(partnershipId: string, sha256: string): string {
    return derivativeRelativePath(partnershipId, sha256);
  }

  /**
   * Streams an upload to a temporary file: SHA-256, size limit (413 as soon as it is passed) and a
   * markup scan on the way; then the type by magic bytes and the structural checks. Any refusal
   * removes the temporary file before it is reported.
   */
  async receive(
    body: Readable,
    expectedSha256: string,
    maxBytes: number,
    declaredName: string | null = null,
  ): Promise<Received> {
    if (body === undefined || body === null) {
      throw DomainError.invalid('body', 'is empty');
    }
    if (!(body instanceof Readable)) {
      // another content type was parsed (JSON, text): the file itself must be the body
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        'Send the file itself, as application/octet-stream',
      );
    }
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmpPath = join(tmpDir, randomUUID());
    try {
      const { sha256, size, head, tail, markup } = await this.stream(body, tmpPath, maxBytes);
      // the broken variant (E1a's negative control, TEST_DEFECTS=hash-check-off) skips this comparison
      if (sha256 !== expectedSha256 && !this.hashCheckOff) {
        throw new DomainError(
          ErrorCode.UnprocessableEntity,
          'The file does not match its SHA-256: it was changed or cut short on the way; please resend',
          [{ field: 'sha256', problems: [`does not match the content received (${sha256})`] }],
        );
      }
      if (size === 0) {
        throw DomainError.invalid('body', 'is empty');
      }
      const file = await open(tmpPath, 'r');
      let verdict;
      try {
        verdict = await classify(head, tail, size, file, markup);
      } finally {
        await file.close();
      }
      if (!verdict.mediaType && this.mimeFallback) {
        const ext = declaredName?.split('.').pop()?.toLowerCase().replace('jpeg', 'jpg');
        verdict = {
          mediaType: (Object.keys(ACCEPTED) as AcceptedType[]).find((t) => ACCEPTED[t] === ext) ?? null,
        };
      }
      if (!verdict.mediaType) {
        throw new DomainError(
          ErrorCode.UnsupportedMediaType,
          `This file cannot be accepted: ${verdict.reason}. Accepted: JPEG, PNG, HEIC, MP4, PDF`,
        );
      }
      return { tmpPath, sha256, size, mediaType: verdict.mediaType };
    } catch (err) {
      await this.discard(tmpPath);
      throw err;
    }
  }

  private stream(
    body: Readable,
    tmpPath: string,
    maxBytes: number,
  ): Promise<{ sha256: string; size: number; head: Buffer; tail: Buffer; markup: string | null }> {
    return new Promise((resolvePromise, reject) => {
      const hash = createHash('sha256');
      const scanner = new MarkerScanner();
      const out = createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 });
      const headParts: Buffer[] = [];
      let headLength = 0;
      let tail = Buffer.alloc(0);
      let size = 0;
      let settled = false;
      const fail = (err: unknown, drain = true) => {
        if (settled) {
          return;
        }
        settled = true;
        out.destroy();
        body.removeAllListeners('data');
        if (drain) {
          // keep reading and dropping the rest, so the client still gets our answer
          body.on('data', () => undefined);
          body.resume();
        } else {
          // over the limit: read no more; the 413 then closes the connection (see tooLarge)
          body.pause();
        }
        if (out.closed) {
          reject(err);
        } else {
          out.once('close', () => reject(err));
        }
      };
      out.on('error', fail);
      body.on('error', () =>
        fail(new DomainError(ErrorCode.BadRequest, 'The upload was interrupted; please resend')),
      );
      body.on('aborted', () =>
        fail(new DomainError(ErrorCode.BadRequest, 'The upload was interrupted; please resend')),
      );
      body.on('data', (chunk: Buffer) => {
        if (settled) {
          return;
        }
        size += chunk.length;
        if (size > maxBytes) {
          fail(tooLarge(maxBytes), false);
          return;
        }
        hash.update(chunk);
        scanner.push(chunk);
        if (headLength < HEAD_BYTES) {
          headParts.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        tail = Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES);
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      });
      body.on('end', () => {
        if (settled) {
          return;
        }
        out.end(() => {
          if (settled) {
            return;
          }
          settled = true;
          resolvePromise({
            sha256: hash.digest('hex'),
            size,
            head: Buffer.concat(headParts),
            tail,
            markup: scanner.found,
          });
        });
      });
    });
  }

  /**
   * One upload end to end: receives and checks it (`accept` may refuse its type), builds the viewing
   * copy when `withViewingCopy`, then hands both to `record`, which writes the rows and calls
   * `place` last in its transaction, so files reach their content address only once their rows
   * exist. Temporary files are always removed.
   */
  async ingest<T>(
    partnershipId: string,
    upload: { body: Readable; sha256: string; declaredName?: string | null; withViewingCopy: boolean },
    accept: (received: Received) => void,
    record: (content: StoredContent, place: () => Promise<void>) => Promise<T>,
  ): Promise<T> {
    let received: Received | undefined;
    let derivative: Derivative | null = null;
    try {
      received = await this.receive(upload.body, upload.sha256, this.maxBytes, upload.declaredName ?? null);
      accept(received);
      derivative = upload.withViewingCopy ? await this.derive(received) : null;
      const r = received;
      const d = derivative;
      const content: StoredContent = {
        sha256: r.sha256,
        sizeBytes: r.size,
        mediaType: r.mediaType,
        derivative: d ? { sha256: d.sha256, sizeBytes: d.size, mediaType: d.mediaType } : null,
        thumbnail: d?.thumbnail
          ? { sha256: d.thumbnail.sha256, sizeBytes: d.thumbnail.size, mediaType: d.thumbnail.mediaType }
          : null,
      };
      return await record(content, async () => {
        await this.place(r, this.masterPath(partnershipId, r.sha256), retainUntilFor(this.lock, new Date()));
        if (d) {
          await this.place(d, this.derivativePath(partnershipId, d.sha256));
        }
        if (d?.thumbnail) {
          await this.place(d.thumbnail, this.derivativePath(partnershipId, d.thumbnail.sha256));
        }
      });
    } finally {
      await this.discard(received?.tmpPath);
      await this.discard(derivative?.tmpPath);
      await this.discard(derivative?.thumbnail?.tmpPath);
    }
  }

  /** Builds the metadata-free viewing copy and its thumbnail in tmp/, if this type has them (viewing-copy.ts). */
  async derive(received: Received): Promise<Derivative | null> {
    const copies = await makeViewingCopies(received.mediaType, await readFile(received.tmpPath));
    if (!copies) {
      return null;
    }
    const view = await this.writeTmp(copies.view.data, copies.view.mediaType);
    try {
      return { ...view, thumbnail: await this.writeTmp(copies.thumbnail.data, copies.thumbnail.mediaType) };
    } catch (err) {
      await this.discard(view.tmpPath);
      throw err;
    }
  }

  private async writeTmp(data: Buffer, mediaType: string): Promise<Derivative> {
    const tmpPath = join(this.root, 'tmp', randomUUID());
    await writeFile(tmpPath, data, { flag: 'wx', mode: 0o600 });
    return { tmpPath, sha256: createHash('sha256').update(data).digest('hex'), size: data.length, mediaType };
  }

  /**
   * Stores a verified temporary file under its content address; the same bytes already there are
   * kept as they are (a retried upload). The store checks the SHA-256 again as it reads.
   */
  async place(file: Received | Derivative, key: string, retainUntil?: Date): Promise<void> {
    await this.storage.put(
      key,
      { path: file.tmpPath },
      { contentType: file.mediaType, sha256: file.sha256, retainUntil },
    );
  }

  async discard(tmpPath: string | undefined): Promise<void> {
    if (!tmpPath) {
      return;
    }
    await unlink(tmpPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') {
        log().warn({ err }, 'could not remove a temporary upload');
      }
    });
  }

  /** The whole stored object (a viewing copy for a printed sheet). */
  async read(key: string): Promise<Buffer> {
    return (await this.storage.getBuffer(key)) ?? missingObject(key);
  }

  /** The stored object's bytes; a row whose object is missing is a fault of the store (500). */
  async open(key: string): Promise<Readable> {
    return (await this.storage.get(key)) ?? missingObject(key);
  }
}

function missingObject(key: string): never {
  throw new Error(`stored object missing: ${key}`);
}
