import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IntegrityError, type PutSource } from './object-storage';

/** A put's bytes, complete on local disk, with their hash and size. */
export interface Staged {
  path: string;
  sha256: string;
  size: number;
  /** a temporary copy this module made (removed by `release`), not the caller's file */
  owned: boolean;
}

/**
 * Reads a put's source to the end while hashing it: a stream or buffer goes to a new file in
 * `scratchDir`, a file is hashed where it is. A source that fails, or whose SHA-256 is not the
 * expected one, leaves nothing behind. So neither driver starts writing under a key before it has
 * every byte (no partial object) and knows the size (S3 wants a Content-Length).
 */
export async function stage(
  key: string,
  source: PutSource,
  scratchDir: string,
  expectedSha256: string | undefined,
): Promise<Staged> {
  let staged: Staged;
  if (!Buffer.isBuffer(source) && !(source instanceof Readable)) {
    const { size } = await stat(source.path);
    staged = { path: source.path, sha256: await sha256OfFile(source.path), size, owned: false };
  } else {
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    await mkdir(scratchDir, { recursive: true });
    const path = join(scratchDir, randomUUID());
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    try {
      await pipeline(input, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      await unlink(path).catch(() => undefined);
      throw err;
    }
    staged = { path, sha256: hash.digest('hex'), size, owned: true };
  }
  if (expectedSha256 !== undefined && staged.sha256 !== expectedSha256) {
    await release(staged);
    throw new IntegrityError(key, expectedSha256, staged.sha256);
  }
  return staged;
}

/** Removes the temporary copy, if this module made one. */
export async function release(staged: Staged): Promise<void> {
  if (staged.owned) {
    await unlink(staged.path).catch(() => undefined);
  }
}

/** SHA-256 of a local file (an existing object compared with a retried put). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
