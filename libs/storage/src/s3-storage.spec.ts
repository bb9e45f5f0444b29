import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestS3, type TestS3 } from '@app/testing';
import { S3ObjectStorage } from './s3-storage';
import { objectStorageContract } from '../test/storage.contract';

/** The S3 driver against a real S3-protocol server (s3rver), never a mock of the SDK. */
async function s3Subject(): Promise<{ s3: TestS3; storage: S3ObjectStorage; dir: string }> {
  const s3 = await startTestS3();
  const dir = mkdtempSync(join(tmpdir(), 'hub-storage-s3-'));
  const storage = new S3ObjectStorage(
    {
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: s3.bucket,
      accessKeyId: s3.env.S3_ACCESS_KEY_ID,
      secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
    },
    join(dir, 'tmp'),
    'COMPLIANCE',
  );
  return { s3, storage, dir };
}

objectStorageContract('S3 (s3rver)', async () => {
  const { s3, storage, dir } = await s3Subject();
  return {
    storage,
    scratchDir: join(dir, 'tmp'),
    async stop() {
      storage.close();
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('S3ObjectStorage against s3rver', () => {
  it('reports that the bucket has no Object Lock, so retention is the hub’s alone', async () => {
    const { s3, storage, dir } = await s3Subject();
    try {
      const support = await storage.retentionSupport();
      expect(support.serverEnforced).toBe(false);
      expect(support.detail).toContain('no S3 Object Lock');
    } finally {
      storage.close();
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
