import { mkdtempSync, rmSync, statSync } from 'node:fs';
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
});
