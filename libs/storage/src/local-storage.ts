import { randomUUID } from 'node:crypto';
import { copyFile, chmod, link, mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
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
import { release, sha256OfFile, stage } from './stage';

/** link() refused by the file system itself (some network and FUSE mounts) */
const NO_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'];
const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** fsync: a file's bytes, or a folder's entries (a new name survives a power cut only once its folder is synced). */
async function sync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A new name in the scratch folder for a caller's file: a hard link (no second write), else a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    if (!['EXDEV', ...NO_LINKS].includes((err as NodeJS.ErrnoException).code ?? '')) {
      throw err;
    }
    await copyFile(from, to);
  }
}

/** Syncs `folder` and, when mkdir made folders (`firstMade` the top one), each parent holding a new one. */
async function syncFolders(folder: string, firstMade: string | undefined): Promise<void> {
  const top = firstMade ? dirname(firstMade) : folder;
  for (let dir = folder; ; dir = dirname(dir)) {
    await sync(dir);
    if (dir === top || dir === dirname(dir)) {
      return;
    }
  }
}

/**
 * Objects as files under one folder (`<dir>/<key>`, today's layout), staged in `<dir>/tmp/` and
 * then linked into place, so a key shows all of its bytes or none. Files are read-only. Retention
 * is kept as the file's modification time set in the future (as NetApp SnapLock keeps it in the
 * access time); only this code honours it.
 */
export class LocalObjectStorage extends ObjectStorage {
  readonly driver = 'local' as const;
  private readonly root: string;
  private readonly scratch: string;

  constructor(dir: string) {
    super();
    this.root = resolve(dir);
    this.scratch = join(this.root, 'tmp');
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, source: PutSource, options: PutOptions): Promise<PutResult> {
    const path = this.pathOf(key);
    const staged = await stage(key, source, this.scratch, options.sha256);
    // the file to place must be our own, in the same file system as its destination
    const tmp = staged.owned ? staged.path : join(this.scratch, randomUUID());
    try {
      if (!staged.owned) {
        await mkdir(this.scratch, { recursive: true });
        await linkOrCopy(staged.path, tmp);
      }
      await chmod(tmp, 0o444);
      if (options.retainUntil) {
        await utimes(tmp, new Date(), options.retainUntil);
      }
      // Evidence is on disk before its key names it and before put returns: without the syncs a
      // power cut after the caller recorded the object could leave the name on an empty file.
      await sync(tmp);
      const folder = dirname(path);
      const firstMade = await mkdir(folder, { recursive: true });
      const placed = () => syncFolders(folder, firstMade);
      const result = { key, sha256: staged.sha256, size: staged.size };
      try {
        // a new name for the staged file: fails if the key exists, never clobbers
        await link(tmp, path);
        await placed();
        return { ...result, created: true };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && !NO_LINKS.includes(code ?? '')) {
          throw err;
        }
        // a file system without hard links: rename when nothing is there yet (a race can clobber)
        if (code !== 'EEXIST' && !(await this.head(key))) {
          await rename(tmp, path);
          await placed();
          return { ...result, created: true };
        }
      }
      if ((await sha256OfFile(path)) === staged.sha256) {
        return { ...result, created: false };
      }
      const head = await this.head(key);
      if (head && stillRetained(head.retainUntil)) {
        throw new RetainedObjectError(key, head.retainUntil);
      }
      await rename(tmp, path);
      await placed();
      return { ...result, created: true };
    } finally {
      await unlink(tmp).catch(() => undefined);
      await release(staged);
    }
  }

  async get(key: string): Promise<Readable | null> {
    try {
      const file = await open(this.pathOf(key), 'r');
      return file.createReadStream();
    } catch (err) {
      if (missing(err)) {
        return null;
      }
      throw err;
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    try {
      const st = await stat(this.pathOf(key));
      // a retention date is a modification time set after the file was last changed
      const retainUntil = st.mtimeMs > st.ctimeMs && stillRetained(st.mtime) ? st.mtime : null;
      return { size: st.size, retainUntil };
    } catch (err) {
      if (missing(err)) {
        return null;
      }
      throw err;
    }
  }

  protected async remove(key: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (err) {
      if (missing(err)) {
        return false;
      }
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // start from the deepest folder the prefix names (never the scratch folder)
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder) {
      assertKey(folder);
    }
    let entries;
    try {
      entries = await readdir(join(this.root, folder), { recursive: true, withFileTypes: true });
    } catch (err) {
      if (missing(err)) {
        return [];
      }
      throw err;
    }
    return entries
      .filter((d) => d.isFile())
      .map((d) => relative(this.root, join(d.parentPath, d.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.startsWith('tmp/'))
      .sort();
  }

  retentionSupport(): Promise<RetentionSupport> {
    return Promise.resolve({
      serverEnforced: false,
      detail:
        'local disk: retained files are read-only and the hub refuses to delete or replace them before their date; the file system does not stop anyone else',
    });
  }
}
