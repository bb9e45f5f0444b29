import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A real S3-protocol server (s3rver) for tests: its own temporary folder, a free loopback port. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** the STORAGE_* and S3_* variables of an app that stores in it */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver's fixed credentials */
const KEY = 'S3RVER';

export async function startTestS3(bucket = 'hub-test'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'hub-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: KEY,
      S3_SECRET_ACCESS_KEY: KEY,
      S3_FORCE_PATH_STYLE: 'true',
    },
    async stop() {
      // kept-alive client sockets would hold close() open
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
