import { type Attributes, SpanKind } from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';

/** Attributes holding a URL or target whose query string may carry personal data (`?q=<a name>`). */
const URL_ATTRIBUTES = ['http.url', 'http.target', 'url.full', 'http.route'];
/** Attributes that are nothing but a query string. */
const QUERY_ATTRIBUTES = ['url.query'];
/** On a server span: who called (an address, a browser), personal data under UK GDPR. */
const CALLER_ATTRIBUTES = [
  'http.client_ip',
  'client.address',
  'client.port',
  'net.peer.ip',
  'net.peer.port',
  'net.sock.peer.addr',
  'net.sock.peer.port',
  'network.peer.address',
  'network.peer.port',
  'http.user_agent',
  'user_agent.original',
];

/** A span's attributes with every query string cut off and, on server spans, the caller left out. */
export function privateAttributes(kind: SpanKind, attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (QUERY_ATTRIBUTES.includes(key) || (kind === SpanKind.SERVER && CALLER_ATTRIBUTES.includes(key))) {
      continue;
    }
    out[key] =
      URL_ATTRIBUTES.includes(key) && typeof value === 'string' ? value.replace(/[?#].*$/s, '') : value;
  }
  return out;
}

/**
 * What leaves the process: the span with private attributes, its events with their name and
 * exception type only, and no status message (an error's message or stack may quote a value, as
 * PostgreSQL's `invalid input syntax for type uuid: "…"` does; logs drop them the same way).
 */
export function privateSpan(span: tracing.ReadableSpan): tracing.ReadableSpan {
  return {
    name: span.name.replace(/[?#].*$/s, ''),
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: privateAttributes(span.kind, span.attributes),
    links: span.links.map((l) => ({ context: l.context })),
    events: span.events.map((e) => ({
      name: e.name,
      time: e.time,
      attributes:
        e.attributes?.['exception.type'] !== undefined
          ? { 'exception.type': e.attributes['exception.type'] }
          : {},
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Wraps the OTLP exporter: every span goes through privateSpan before it is serialised. */
export class PrivateSpanExporter implements tracing.SpanExporter {
  constructor(private readonly inner: tracing.SpanExporter) {}

  export(spans: tracing.ReadableSpan[], done: Parameters<tracing.SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(privateSpan), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
