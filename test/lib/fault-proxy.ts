import { createServer, type Server, Socket } from 'node:net';

/**
 * An in-repo TCP fault proxy on loopback (quality.md section 3). Each accepted connection gets a
 * fault from `decide()`: pass, delay (jitter before forwarding), reset-after-body (the request
 * reaches the server, the client gets a TCP reset instead of the response: a response lost after
 * commit), blackhole (accepted, never forwarded, never answered), half-close (the response is cut
 * after its first chunk and the socket ended), bit-flip (one bit of the request body flipped in
 * flight). Requests should use one connection each (no keep-alive) so faults are per request.
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset-after-body'; delayMs?: number }
  | { kind: 'blackhole' }
  | { kind: 'half-close' }
  | {
      kind: 'bit-flip';
      /** byte offset in the client-to-server stream (or in the body, with `inBody`) of the flipped bit */
      at: number;
      /** count `at` from the end of the request head (the first CRLFCRLF), i.e. within the body */
      inBody?: boolean;
      delayMs?: number;
    };

export interface ProxyStats {
  connections: number;
  byKind: Record<Fault['kind'], number>;
  /** bit-flips actually applied (a stream shorter than the offset passes unchanged) */
  bitFlipsApplied: number;
}

export class FaultProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  readonly stats: ProxyStats = {
    connections: 0,
    byKind: { pass: 0, delay: 0, 'reset-after-body': 0, blackhole: 0, 'half-close': 0, 'bit-flip': 0 },
    bitFlipsApplied: 0,
  };
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly decide: () => Fault,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => this.handle(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) {
      s.destroy();
    }
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }

  private handle(client: Socket): void {
    this.track(client);
    const fault = this.decide();
    this.stats.connections += 1;
    this.stats.byKind[fault.kind] += 1;
    if (fault.kind === 'blackhole') {
      client.on('data', () => undefined);
      return;
    }
    const upstream = new Socket();
    this.track(upstream);
    const delay =
      fault.kind === 'delay'
        ? fault.ms
        : fault.kind === 'reset-after-body' || fault.kind === 'bit-flip'
          ? (fault.delayMs ?? 0)
          : 0;
    const pending: Buffer[] = [];
    let connected = false;
    let flipped = false;
    let seen = 0;
    // where the flip goes in the stream; with `inBody`, unknown until the end of the head is seen
    let target = fault.kind === 'bit-flip' && !fault.inBody ? fault.at : -1;
    let headTail = Buffer.alloc(0);
    const forward = (chunk: Buffer) => {
      let out = chunk;
      if (fault.kind === 'bit-flip' && target < 0) {
        const window = Buffer.concat([headTail, chunk]);
        const end = window.indexOf('\r\n\r\n');
        if (end >= 0) {
          target = seen - headTail.length + end + 4 + fault.at;
        } else {
          headTail = window.subarray(-3);
        }
      }
      if (fault.kind === 'bit-flip' && !flipped && target >= seen && seen + chunk.length > target) {
        out = Buffer.from(chunk);
        out[target - seen] ^= 0x01;
        flipped = true;
        this.stats.bitFlipsApplied += 1;
      }
      seen += chunk.length;
      upstream.write(out);
    };
    client.on('data', (chunk: Buffer) => {
      if (connected) {
        forward(chunk);
      } else {
        pending.push(chunk);
      }
    });
    client.on('end', () => upstream.end());
    client.on('close', () => upstream.destroy());
    const go = () =>
      upstream.connect(this.target.port, this.target.host, () => {
        connected = true;
        for (const c of pending.splice(0)) {
          forward(c);
        }
      });
    if (delay > 0) {
      setTimeout(go, delay);
    } else {
      go();
    }
    let first = true;
    upstream.on('data', (chunk: Buffer) => {
      if (fault.kind === 'reset-after-body') {
        // the server has answered, so the request committed; the client never sees it
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (fault.kind === 'half-close' && first) {
        first = false;
        client.end(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
    upstream.on('close', () => client.destroy());
  }
}
