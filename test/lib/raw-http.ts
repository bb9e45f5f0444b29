import { request } from 'node:http';

export interface RawResult {
  status: number;
  text: string;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One HTTP request on its own connection (no keep-alive, so a proxy fault hits exactly one
 * request), with a deadline; rejects on reset, timeout or blackhole.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  opts: {
    token?: string;
    body?: unknown;
    raw?: Buffer | string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<RawResult> {
  const u = new URL(path, baseUrl);
  const headers: Record<string, string> = { connection: 'close', ...(opts.headers ?? {}) };
  if (opts.token) {
    headers.authorization = `Bearer ${opts.token}`;
  }
  let payload: Buffer | undefined;
  if (opts.raw !== undefined) {
    payload = Buffer.isBuffer(opts.raw) ? opts.raw : Buffer.from(opts.raw);
  } else if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = Buffer.from(JSON.stringify(opts.body));
  }
  if (payload) {
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => {
          if (!res.complete) {
            reject(new Error('response incomplete'));
            return;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, text, body, headers: res.headers });
        });
      },
    );
    req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}
