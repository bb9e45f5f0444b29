import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { IntegrityError, type ObjectStorage, RetainedObjectError } from '../src/object-storage';

/** A store under test, its scratch folder (`<dir>/tmp`), and how to tear it down. */
export interface ContractSubject {
  storage: ObjectStorage;
  scratchDir: string;
  stop(): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DAY = 86_400_000;

async function bytesOf(storage: ObjectStorage, key: string): Promise<Buffer | null> {
  return storage.getBuffer(key);
}

/** A stream that gives some bytes and then fails, as a client that hangs up mid-upload. */
function failingStream(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ < 3) {
        this.push(Buffer.alloc(64 * 1024, 7));
      } else {
        this.destroy(new Error('connection reset'));
      }
    },
  });
}

/**
 * The one behaviour every ObjectStorage driver must have, run against each (local disk, and S3
 * through a real s3rver). `start` gives a fresh, empty store.
 */
export function objectStorageContract(name: string, start: () => Promise<ContractSubject>): void {
  describe(`ObjectStorage contract: ${name}`, () => {
    let subject: ContractSubject;
    let storage: ObjectStorage;
    let n = 0;
    // a fresh key per test, so tests share one store without seeing each other's objects
    const key = (leaf = 'object') => `contract/${n}/${leaf}`;
    const scratchFiles = () => (existsSync(subject.scratchDir) ? readdirSync(subject.scratchDir) : []);

    beforeAll(async () => {
      subject = await start();
      storage = subject.storage;
    });
    afterAll(async () => {
      await subject?.stop();
    });
    beforeEach(() => {
      n += 1;
    });

    it('stores and returns the bytes, from a buffer, a stream or a file, with their SHA-256', async () => {
      const bytes = Buffer.from(`evidence ${name} ${Date.now()}`);
      const put = await storage.put(key('a'), bytes, { contentType: 'image/jpeg', sha256: sha256(bytes) });
      expect(put).toEqual({ key: key('a'), sha256: sha256(bytes), size: bytes.length, created: true });
      expect(await bytesOf(storage, key('a'))).toEqual(bytes);
      expect(await storage.head(key('a'))).toEqual({ size: bytes.length, retainUntil: null });

      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 1);
      const streamed = await storage.put(
        key('b'),
        Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
        {
          contentType: 'application/zip',
        },
      );
      expect(streamed.sha256).toBe(sha256(big));
      expect(sha256((await bytesOf(storage, key('b')))!)).toBe(sha256(big));

      const file = join(subject.scratchDir, '..', `contract-source-${n}`);
      writeFileSync(file, bytes);
      expect((await storage.put(key('c'), { path: file }, { contentType: 'application/pdf' })).sha256).toBe(
        sha256(bytes),
      );
      expect(existsSync(file)).toBe(true); // the caller's file is read, not taken
      expect(await bytesOf(storage, key('c'))).toEqual(bytes);
      expect(scratchFiles()).toEqual([]);
    });

    it('answers a missing object with null, and deleting it with false', async () => {
      expect(await storage.get(key('missing'))).toBeNull();
      expect(await storage.getBuffer(key('missing'))).toBeNull();
      expect(await storage.head(key('missing'))).toBeNull();
      expect(await storage.delete(key('missing'))).toBe(false);
    });

    it('takes the same bytes again as a no-op, and other bytes as a replacement', async () => {
      const v1 = Buffer.from('version one');
      const v2 = Buffer.from('version two!');
      expect((await storage.put(key(), v1, { contentType: 'text/plain' })).created).toBe(true);
      expect(await storage.put(key(), v1, { contentType: 'text/plain', sha256: sha256(v1) })).toEqual({
        key: key(),
        sha256: sha256(v1),
        size: v1.length,
        created: false,
      });
      expect(await bytesOf(storage, key())).toEqual(v1);
      expect((await storage.put(key(), v2, { contentType: 'text/plain' })).created).toBe(true);
      expect(await bytesOf(storage, key())).toEqual(v2);
      expect(await storage.list(`contract/${n}/`)).toEqual([key()]);
    });

    it('stores nothing when the bytes do not match the expected SHA-256', async () => {
      const bytes = Buffer.from('tampered on the way');
      await expect(
        storage.put(key(), bytes, { contentType: 'image/png', sha256: sha256(Buffer.from('the original')) }),
      ).rejects.toBeInstanceOf(IntegrityError);
      expect(await storage.head(key())).toBeNull();
      expect(scratchFiles()).toEqual([]);
    });

    it('leaves no partial object when the stream fails, and keeps what was there', async () => {
      await expect(storage.put(key('new'), failingStream(), { contentType: 'video/mp4' })).rejects.toThrow(
        'connection reset',
      );
      expect(await storage.head(key('new'))).toBeNull();

      const before = Buffer.from('complete earlier copy');
      await storage.put(key('old'), before, { contentType: 'video/mp4' });
      await expect(storage.put(key('old'), failingStream(), { contentType: 'video/mp4' })).rejects.toThrow();
      expect(await bytesOf(storage, key('old'))).toEqual(before);
      expect(await storage.list(`contract/${n}/`)).toEqual([key('old')]);
      expect(scratchFiles()).toEqual([]);
    });

    it('lists keys by prefix, sorted', async () => {
      for (const leaf of ['b/2', 'a/1', 'a/2', 'ab/3']) {
        await storage.put(key(leaf), Buffer.from(leaf), { contentType: 'text/plain' });
      }
      expect(await storage.list(`contract/${n}/a/`)).toEqual([key('a/1'), key('a/2')]);
      expect(await storage.list(`contract/${n}/a`)).toEqual([key('a/1'), key('a/2'), key('ab/3')]);
      expect(await storage.list(`contract/${n}/none/`)).toEqual([]);
    });

    it('deletes an object', async () => {
      await storage.put(key(), Buffer.from('expired pack'), { contentType: 'application/zip' });
      expect(await storage.delete(key())).toBe(true);
      expect(await storage.get(key())).toBeNull();
      expect(await storage.delete(key())).toBe(false);
    });

    it('refuses to delete or replace a retained object until its date', async () => {
      const until = new Date(Date.now() + 30 * DAY);
      const master = Buffer.from('a retained evidence master');
      await storage.put(key(), master, { contentType: 'image/jpeg', retainUntil: until });
      const head = await storage.head(key());
      expect(Math.abs(head!.retainUntil!.getTime() - until.getTime())).toBeLessThan(1000);

      const refusal = await storage.delete(key()).catch((err: unknown) => err);
      expect(refusal).toBeInstanceOf(RetainedObjectError);
      expect((refusal as RetainedObjectError).key).toBe(key());
      await expect(
        storage.put(key(), Buffer.from('other bytes'), { contentType: 'image/jpeg' }),
      ).rejects.toBeInstanceOf(RetainedObjectError);
      expect(await bytesOf(storage, key())).toEqual(master);
      // a retried upload of the same master is still accepted
      expect(
        (await storage.put(key(), master, { contentType: 'image/jpeg', retainUntil: until })).created,
      ).toBe(false);

      // a retention date already past no longer binds
      await storage.put(key('lapsed'), master, {
        contentType: 'image/jpeg',
        retainUntil: new Date(Date.now() - DAY),
      });
      expect((await storage.head(key('lapsed')))?.retainUntil).toBeNull();
      expect(await storage.delete(key('lapsed'))).toBe(true);
    });

    it('refuses keys that could leave the store or reach its scratch folder', async () => {
      for (const bad of ['../escape', '/etc/passwd', 'a/../../b', 'tmp/x', 'a//b', '']) {
        await expect(storage.put(bad, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(
          'not a storage key',
        );
        await expect(storage.get(bad)).rejects.toThrow('not a storage key');
      }
    });
  });
}
