import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
// the module object itself (an `import * as` copy would not see the spies)
import fsp = require('node:fs/promises');
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStorage } from './local-storage';
import { objectStorageContract } from '../test/storage.contract';

objectStorageContract('local disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-storage-'));
  return Promise.resolve({
    storage: new LocalObjectStorage(dir),
    scratchDir: join(dir, 'tmp'),
    stop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

describe('LocalObjectStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-storage-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the key as the path under its folder, read-only', async () => {
    const storage = new LocalObjectStorage(dir);
    await storage.put('masters/p/ab/abc', Buffer.from('x'), { contentType: 'image/jpeg' });
    expect(statSync(join(dir, 'masters/p/ab/abc')).mode & 0o777).toBe(0o444);
  });

  it('says retention is enforced by the hub, not the file system', async () => {
    expect((await new LocalObjectStorage(dir).retentionSupport()).serverEnforced).toBe(false);
  });

  it('syncs an object’s bytes before its key names it, and the folders of the new name after', async () => {
    const storage = new LocalObjectStorage(dir);
    const events: string[] = [];
    const rel = (p: unknown) =>
      String(p)
        .slice(dir.length + 1)
        .replace(/^tmp\/.*/, 'tmp/*') || '.';
    // observed, not replaced: which path each handle is, and the order of syncs and links
    const paths = new WeakMap<object, string>();
    const realOpen = fsp.open;
    jest.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      paths.set(handle, rel(args[0]));
      const realSync = handle.sync.bind(handle);
      handle.sync = () => (events.push(`sync ${paths.get(handle)}`), realSync());
      return handle;
    });
    const realLink = fsp.link;
    jest
      .spyOn(fsp, 'link')
      .mockImplementation((from, to) => (events.push(`link ${rel(to)}`), realLink(from, to)));
    try {
      await storage.put('masters/p/ab/abc', Buffer.from('x'), { contentType: 'image/jpeg' });
      expect(events).toEqual([
        'sync tmp/*',
        'link masters/p/ab/abc',
        'sync masters/p/ab',
        'sync masters/p',
        'sync masters',
        'sync .',
      ]);
      events.length = 0;
      await storage.put('masters/p/ab/abd', Buffer.from('y'), { contentType: 'image/jpeg' });
      expect(events).toEqual(['sync tmp/*', 'link masters/p/ab/abd', 'sync masters/p/ab']);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('takes a finished file over by a link, without writing its bytes again', async () => {
    const storage = new LocalObjectStorage(dir);
    const source = join(dir, 'pack.zip');
    writeFileSync(source, 'zip bytes');
    await storage.put('packs/p/1.zip', { path: source }, { contentType: 'application/zip' });
    expect(statSync(join(dir, 'packs/p/1.zip')).ino).toBe(statSync(source).ino);
  });
});
