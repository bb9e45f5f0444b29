import { request, type IncomingHttpHeaders, type Server } from 'node:http';

/**
 * HTTP helpers for the security programme (S3-S7): one request per connection from a chosen
 * loopback source address (127.0.0.x, so rate limits keyed on the client address can be driven
 * from several "addresses" on one machine), a streaming upload that stops sending once the answer
 * arrives, and a meter of what the server itself read from each connection.
 */
export interface SecResult {
  status: number;
  text: string;
  body: any;
  headers: IncomingHttpHeaders;
}

export interface SecRequest {
  token?: string;
  body?: unknown;
  raw?: Buffer | string;
  headers?: Record<string, string>;
  /** the client's source address, e.g. 127.0.0.7 */
  localAddress?: string;
  timeoutMs?: number;
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export function secRequest(
  baseUrl: string,
  method: string,
  path: string,
  opts: SecRequest = {},
): Promise<SecResult> {
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
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        headers,
        agent: false,
        localAddress: opts.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, text, body: parse(text), headers: res.headers });
        });
      },
    );
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface StreamResult {
  /** 0 when the connection ended without an answer */
  status: number;
  body: any;
  headers: IncomingHttpHeaders;
  /** bytes of body this client handed to its socket before it saw the answer or gave up */
  bytesSent: number;
  error?: string;
}

/**
 * Streams `total` bytes of `fill` (chunked unless `declaredLength` is given) and stops writing as
 * soon as the response starts: an uploader that keeps pushing until it is told no.
 */
export function streamUpload(
  baseUrl: string,
  method: string,
  path: string,
  opts: {
    token?: string;
    headers?: Record<string, string>;
    total: number;
    declaredLength?: number;
    prefix?: Buffer;
    chunkBytes?: number;
    timeoutMs?: number;
  },
): Promise<StreamResult> {
  const u = new URL(path, baseUrl);
  const headers: Record<string, string> = { connection: 'close', ...(opts.headers ?? {}) };
  if (opts.token) {
    headers.authorization = `Bearer ${opts.token}`;
  }
  if (opts.declaredLength !== undefined) {
    headers['content-length'] = String(opts.declaredLength);
  }
  const chunk = Buffer.alloc(opts.chunkBytes ?? 16 * 1024, 0x5a);
  return new Promise((resolve) => {
    let bytesSent = 0;
    let answered = false;
    let done = false;
    const finish = (r: Omit<StreamResult, 'bytesSent'>) => {
      if (!done) {
        done = true;
        resolve({ ...r, bytesSent });
      }
    };
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        headers,
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const end = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          finish({ status: res.statusCode ?? 0, body: parse(text), headers: res.headers });
        };
        res.on('end', end);
        res.on('error', end);
        res.on('close', end);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => finish({ status: 0, body: undefined, headers: {}, error: err.message }));
    const pump = () => {
      while (!answered && !done && bytesSent < opts.total) {
        let piece = chunk;
        if (bytesSent === 0 && opts.prefix) {
          piece = Buffer.concat([opts.prefix, chunk]).subarray(0, chunk.length);
        }
        piece = piece.subarray(0, Math.min(piece.length, opts.total - bytesSent));
        bytesSent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && !done) {
        req.end();
      }
    };
    pump();
  });
}

export interface ConnectionReads {
  /** body bytes delivered to the server's handlers (as 'data') when the response head was written */
  consumedAtAnswer: number;
  /** body bytes the server's HTTP parser had taken off the wire (delivered or still buffered) then */
  bodyAtAnswer: number;
  /** body bytes taken off the wire by the time the connection closed */
  bodyAtClose: number;
  /** the same at the socket, headers and chunk framing included */
  socketAtAnswer: number;
  socketAtClose: number;
  status: number;
}

/**
 * Counts, on the api's own Node server, what it read of each request carrying `x-probe-id`: body
 * bytes delivered to its handlers, body bytes its HTTP parser took off the wire (delivered or still
 * in the stream's buffer) and raw socket bytes, at the moment the answer's head is written and when
 * the connection closes. This is what the server read, not what the client sent (kernel buffers
 * hold the difference).
 */
export class ServerReadMeter {
  readonly reads = new Map<string, ConnectionReads>();
  private readonly listener: (req: any, res: any) => void;

  constructor(private readonly server: Server) {
    this.listener = (req, res) => {
      const probe = req.headers['x-probe-id'];
      if (typeof probe !== 'string') {
        return;
      }
      const socket = req.socket;
      const rec: ConnectionReads = {
        consumedAtAnswer: -1,
        bodyAtAnswer: -1,
        bodyAtClose: -1,
        socketAtAnswer: -1,
        socketAtClose: -1,
        status: 0,
      };
      this.reads.set(probe, rec);
      // the parser hands every body piece to the request stream's push(), consumed or not
      let body = 0;
      const push = req.push;
      req.push = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        if (chunk && typeof (chunk as Buffer).length === 'number') {
          body += (chunk as Buffer).length;
        }
        return push.call(this, chunk, ...rest);
      };
      let consumed = 0;
      const emit = req.emit;
      req.emit = function (this: unknown, event: string, ...args: unknown[]) {
        if (event === 'data' && args[0] && typeof (args[0] as Buffer).length === 'number') {
          consumed += (args[0] as Buffer).length;
        }
        return emit.call(this, event, ...args);
      };
      const writeHead = res.writeHead;
      res.writeHead = function (this: unknown, ...args: unknown[]) {
        if (rec.socketAtAnswer < 0) {
          rec.consumedAtAnswer = consumed;
          rec.bodyAtAnswer = body;
          rec.socketAtAnswer = socket.bytesRead;
          rec.status = Number(args[0]);
        }
        return writeHead.apply(this, args);
      };
      socket.once('close', () => {
        rec.bodyAtClose = body;
        rec.socketAtClose = socket.bytesRead;
      });
    };
    server.on('request', this.listener);
  }

  stop(): void {
    this.server.off('request', this.listener);
  }
}
