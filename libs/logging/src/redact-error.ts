/**
 * The error fields a log line may carry. Everything else is dropped: TypeORM's QueryFailedError
 * copies the statement's `parameters` and the driver's fields onto itself, and PostgreSQL's
 * `detail`, `where`, `hint` and `internalQuery` can echo stored values (`Key (email)=(…)`).
 */
const KEEP = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'statusCode',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  /** the SQL text (placeholders, never the values bound to them) */
  'query',
] as const;

const MAX_DEPTH = 3;

type Fields = Record<string, unknown>;

/** A PostgreSQL error (the driver's, or TypeORM's wrapper of it): its message may quote a value. */
function isDatabaseError(e: Fields): boolean {
  return (
    'driverError' in e ||
    'parameters' in e ||
    e.name === 'QueryFailedError' ||
    (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e)
  );
}

/**
 * PostgreSQL quotes the offending value in double quotes (`invalid input syntax for type uuid:
 * "…"`, `date/time field value out of range: "…"`); identifiers it names are kept.
 */
function redactMessage(message: string, e: Fields): string {
  const names = new Set(
    ['schema', 'table', 'column', 'dataType', 'constraint']
      .map((k) => e[k])
      .filter((v) => typeof v === 'string'),
  );
  return message.replace(/"((?:[^"]|"")*)"/g, (whole, inner: string) =>
    names.has(inner) ? whole : '"[redacted]"',
  );
}

/**
 * What a log line shows of an error: its type, message, stack and a short list of diagnostic
 * fields, never the values a statement carried. Database errors have the quoted values in their
 * message (and in the stack's first line) replaced. Used as pino's `err` serializer.
 */
export function redactError(err: unknown, depth = 0): unknown {
  if (err === null || typeof err !== 'object') {
    return err;
  }
  const e = err as Fields;
  const out: Fields = { type: (err as object).constructor?.name ?? 'Object' };
  const database = isDatabaseError(e);
  const message = typeof e.message === 'string' ? e.message : undefined;
  const safeMessage = message !== undefined && database ? redactMessage(message, e) : message;
  if (safeMessage !== undefined) {
    out.message = safeMessage;
  }
  if (typeof e.stack === 'string') {
    // the stack starts with the message; keep only its frames after our own first line
    const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
    out.stack = [`${String(e.name ?? out.type)}: ${safeMessage ?? ''}`, ...frames].join('\n');
  }
  for (const k of KEEP) {
    const v = e[k];
    if (typeof v === 'string' || typeof v === 'number') {
      out[k] = v;
    }
  }
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) {
      out.cause = redactError(e.cause, depth + 1);
    }
    if (Array.isArray(e.errors)) {
      out.errors = e.errors.slice(0, 5).map((x) => redactError(x, depth + 1));
    }
  }
  return out;
}
