import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resources, tracing } from '@opentelemetry/sdk-node';
import { PrivateSpanExporter, privateAttributes, privateSpan } from './private-spans';

const span = (over: Partial<tracing.ReadableSpan>): tracing.ReadableSpan => ({
  name: 'GET',
  kind: SpanKind.SERVER,
  spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }),
  startTime: [1, 0],
  endTime: [2, 0],
  status: { code: SpanStatusCode.UNSET },
  attributes: {},
  links: [],
  events: [],
  duration: [1, 0],
  ended: true,
  resource: resources.resourceFromAttributes({ 'service.name': 'hub-api' }),
  instrumentationScope: { name: 'test' },
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 0,
  ...over,
});

describe('private spans', () => {
  it('cuts query strings off every URL attribute and drops url.query', () => {
    const out = privateAttributes(SpanKind.SERVER, {
      'http.url': 'http://hub/api/v1/subjects?q=Jane+Doe',
      'http.target': '/api/v1/subjects?q=Jane%20Doe#x',
      'url.full': 'http://hub/api/v1/subjects?q=Jane',
      'url.query': 'q=Jane',
      'http.method': 'GET',
      'http.status_code': 200,
    });
    expect(out).toEqual({
      'http.url': 'http://hub/api/v1/subjects',
      'http.target': '/api/v1/subjects',
      'url.full': 'http://hub/api/v1/subjects',
      'http.method': 'GET',
      'http.status_code': 200,
    });
  });

  it("leaves out the caller's address and browser on server spans only", () => {
    const attrs = {
      'net.peer.ip': '203.0.113.9',
      'http.user_agent': 'Mozilla',
      'client.address': '203.0.113.9',
    };
    expect(privateAttributes(SpanKind.SERVER, attrs)).toEqual({});
    // a client span's peer is the database or the bucket, not a person
    expect(privateAttributes(SpanKind.CLIENT, { 'net.peer.ip': '10.0.0.5' })).toEqual({
      'net.peer.ip': '10.0.0.5',
    });
  });

  it("keeps an error's type but not its message or stack, nor the status message", () => {
    const out = privateSpan(
      span({
        status: { code: SpanStatusCode.ERROR, message: 'invalid input syntax for type uuid: "Jane"' },
        events: [
          {
            name: 'exception',
            time: [1, 5],
            attributes: {
              'exception.type': 'QueryFailedError',
              'exception.message': 'invalid input syntax for type uuid: "Jane"',
              'exception.stacktrace': 'QueryFailedError: invalid input syntax for type uuid: "Jane"',
            },
          },
        ],
      }),
    );
    expect(out.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(out.events).toEqual([
      { name: 'exception', time: [1, 5], attributes: { 'exception.type': 'QueryFailedError' } },
    ]);
    expect(JSON.stringify(out)).not.toContain('Jane');
    expect(out.spanContext().spanId).toBe('b'.repeat(16));
  });

  it('is what the wrapped exporter receives', async () => {
    const memory = new tracing.InMemorySpanExporter();
    const exporter = new PrivateSpanExporter(memory);
    await new Promise((done) =>
      exporter.export([span({ attributes: { 'http.target': '/api/v1/incidents?q=Smith' } })], done),
    );
    expect(memory.getFinishedSpans().map((s) => s.attributes)).toEqual([
      { 'http.target': '/api/v1/incidents' },
    ]);
    await exporter.shutdown();
  });
});
