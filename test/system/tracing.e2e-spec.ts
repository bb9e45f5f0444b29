import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  createTestDatabase,
  givenPartnership,
  HttpClient,
  type TestApi,
  type TestDatabase,
} from '@app/testing';
import { AppChild, childEnv } from '../lib/compiled-apps';

// Starts the compiled api twice (once traced, once not) on a shared 2-core machine.
jest.setTimeout(120_000);

/** A collector's front door on loopback: keeps every body POSTed to it, answers 200. */
class OtlpReceiver {
  readonly posts: { path: string; text: string }[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        this.posts.push({ path: req.url ?? '', text: body.toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** Every span received, with its instrumentation's name and its attributes as a map. */
function spansIn(receiver: OtlpReceiver) {
  return receiver.posts.flatMap((p) =>
    (JSON.parse(p.text) as OtlpExport).resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((s) => ({
          ...s,
          scope: ss.scope.name,
          service: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
          attrs: Object.fromEntries(
            (s.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue]),
          ),
        })),
      ),
    ),
  );
}

const SEARCH_WORD = 'SomeName';
const SPAN_KIND_SERVER = 2;

describe('OpenTelemetry tracing (the compiled api as its own process)', () => {
  let db: TestDatabase;
  let receiver: OtlpReceiver;
  const logDir = mkdtempSync(join(tmpdir(), 'hub-tracing-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = new OtlpReceiver();
    await receiver.start();
  });

  afterAll(async () => {
    await receiver.close();
    await db.drop();
    rmSync(logDir, { recursive: true, force: true });
  });

  /** Starts the api with `env`, signs a partnership in, searches subjects for SEARCH_WORD, stops it (SIGTERM). */
  async function searchOnce(name: string, env: Record<string, string>) {
    const api = await AppChild.start(
      'api',
      name,
      childEnv(db.config, {
        SHUTDOWN_DRAIN_MS: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        ...env,
      }),
      logDir,
    );
    try {
      const p = await givenPartnership({ db, http: new HttpClient(api.url) } as unknown as TestApi);
      const res = await new HttpClient(api.url).get(
        `/api/v1/subjects?q=${SEARCH_WORD}`,
        p.tokens.coordinator,
      );
      expect(res.status).toBe(200);
      return p;
    } finally {
      // SIGTERM: Nest's shutdown hooks, the last of which (TracingShutdown) sends what is buffered
      await api.stop();
      expect(
        `${name} exit: ${JSON.stringify(api.exit)} ${readFileSync(api.logFile, 'utf8').slice(0, 2000)}`,
      ).toMatch(/exit: \{"code":(0|null),"signal":(null|"SIGTERM")\}/);
    }
  }

  it('sends the HTTP request and its PostgreSQL queries, without the search words or who asked', async () => {
    const p = await searchOnce('api-traced', { OTEL_TRACES_ENABLED: 'true' });

    expect(receiver.posts.length).toBeGreaterThan(0);
    expect(new Set(receiver.posts.map((x) => x.path))).toEqual(new Set(['/v1/traces']));
    const spans = spansIn(receiver);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['hub-api']));

    const search = spans.filter(
      (s) =>
        s.kind === SPAN_KIND_SERVER &&
        s.scope === '@opentelemetry/instrumentation-http' &&
        [s.attrs['http.target'], s.attrs['url.path']].includes('/api/v1/subjects'),
    );
    expect(search).toHaveLength(1);
    const queries = spans.filter(
      (s) => s.scope === '@opentelemetry/instrumentation-pg' && s.traceId === search[0].traceId,
    );
    expect(queries.length).toBeGreaterThan(0);
    // probes are not traced
    expect(spans.filter((s) => /\/(health|ready|metrics)$/.test(String(s.attrs['http.target'])))).toEqual([]);

    // nothing personal anywhere in what left the process: not the search word (query string, SQL
    // parameters), nor the users' emails and names (login bodies)
    const everything = receiver.posts.map((x) => x.text).join('\n');
    expect(everything).not.toContain(SEARCH_WORD);
    expect(everything.toLowerCase()).not.toContain(SEARCH_WORD.toLowerCase());
    for (const user of Object.values(p.users)) {
      expect(everything).not.toContain(user.email);
    }
  });

  it('sends nothing when tracing is off', async () => {
    receiver.posts.length = 0;
    await searchOnce('api-untraced', {});
    expect(receiver.posts).toEqual([]);
  });
});
