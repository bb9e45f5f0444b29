import { registerDecorator, type ValidationError, type ValidationOptions } from 'class-validator';

/**
 * The one set of rules for dates, datetimes, human-readable text and money in every request
 * (bodies, query strings and headers): each has a `…Problem` function, which the header parsers
 * call, and a decorator built on it for DTOs.
 */

const DAY_MS = 86_400_000;

/** A fixed calendar date ('2000-01-01') or a number of days from now (negative: before). */
export type DateBound = string | number;
export interface DateRange {
  min: DateBound;
  max: DateBound;
}

/** Plausible ranges per kind of field (see DEVELOPMENT.md, "Input rules"). */
export const DATE_RANGES = {
  /** something that has happened: an incident, a capture, a notice served (a day of clock skew) */
  past: { min: '2000-01-01', max: 1 },
  /** a search or statistics window */
  query: { min: '2000-01-01', max: 366 },
  /** the day a CCTV recorder overwrites its footage */
  cctvOverwrite: { min: -366, max: 2 * 366 },
  /** charge, first-appearance and evidence due dates */
  proceedings: { min: '2000-01-01', max: 2 * 366 },
  /** when an exclusion notice ends (at most 60 months after service) */
  exclusionEnd: { min: '2000-01-01', max: 5 * 366 + 1 },
} as const satisfies Record<string, DateRange>;

function boundMs(b: DateBound, now: number): number {
  return typeof b === 'string' ? Date.parse(`${b}T00:00:00Z`) : now + b * DAY_MS;
}

function realDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  // year 0 does not exist in PostgreSQL's calendar; Date.UTC maps 0-99 to 1900-1999
  return y >= 1 && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function rangeProblem(
  at: number,
  range: DateRange,
  now: number,
  show: (ms: number) => string,
): string | null {
  const min = boundMs(range.min, now);
  const max = boundMs(range.max, now);
  return at < min || at > max ? `must be between ${show(min)} and ${show(max)}` : null;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `value` is not a real calendar date (YYYY-MM-DD) in `range`, or null. */
export function calendarDateProblem(value: unknown, range: DateRange, now = Date.now()): string | null {
  const m = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (!m) {
    return 'must be a date written YYYY-MM-DD';
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDay(y, mo, d)) {
    return `must be a real calendar date (${value} does not exist)`;
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // relative bounds count whole days, so compare days
  return rangeProblem(Date.UTC(y, mo - 1, d), range, Date.parse(`${day(now)}T00:00:00Z`), day);
}

const ZONED_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Why `value` is not an ISO 8601 date-time with a timezone (Z or ±hh:mm) in `range`, or null. */
export function zonedDateTimeProblem(value: unknown, range: DateRange, now = Date.now()): string | null {
  const m = typeof value === 'string' ? ZONED_DATE_TIME.exec(value) : null;
  if (!m) {
    return 'must be a date and time with a timezone, e.g. 2026-11-20T14:03:00Z or 2026-11-20T14:03:00+00:00';
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const [offH, offM] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  if (!realDay(y, mo, d) || h > 23 || mi > 59 || s > 59 || offH > 14 || offM > 59) {
    return `must be a real date and time (${value} does not exist)`;
  }
  const fraction = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offset = (m[8] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  const at = Date.UTC(y, mo - 1, d, h, mi, s, fraction) - offset;
  return rangeProblem(at, range, now, (ms) => `${new Date(ms).toISOString().slice(0, 16)}Z`);
}

// bidirectional embeddings, overrides and isolates: "invoice" + U+202E + "gpj.exe" shows as "invoiceexe.jpg"
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// PostgreSQL's UTF-8 cannot hold half a surrogate pair: the driver would silently store U+FFFD
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `value` is not plain human-readable text, or null; line breaks and tabs only when multi-line. */
export function humanTextProblem(value: string, multiline = false): string | null {
  if (BIDI_CONTROL.test(value)) {
    return 'must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)';
  }
  if ((multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value)) {
    return multiline
      ? 'must not contain control characters other than line breaks and tabs'
      : 'must not contain control characters (it is a single line)';
  }
  if (LONE_SURROGATE.test(value)) {
    return 'must be valid Unicode (it contains half of a surrogate pair)';
  }
  return null;
}

/** The constraint names the rules below report under (S2's negative control drops them). */
export const INPUT_RULES = ['isCalendarDate', 'isZonedDateTime', 'isHumanText', 'penceAtMost'] as const;

function rule(
  name: (typeof INPUT_RULES)[number],
  problem: (value: unknown, object: object) => string | null,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args) => `${args.property} ${problem(args.value, args.object) ?? 'is not valid'}`,
        ...options,
      },
      validator: { validate: (value: unknown, args) => problem(value, args!.object) === null },
    });
}

/** A real calendar date, YYYY-MM-DD, within a plausible range for the field. */
export function IsCalendarDate(range: DateRange, options?: ValidationOptions): PropertyDecorator {
  return rule('isCalendarDate', (v) => calendarDateProblem(v, range), options);
}

/** A real date and time with a timezone, within a plausible range for the field. */
export function IsZonedDateTime(range: DateRange, options?: ValidationOptions): PropertyDecorator {
  return rule('isZonedDateTime', (v) => zonedDateTimeProblem(v, range), options);
}

/** Human-readable text (use with IsString; `each: true` for lists): see humanTextProblem. */
export function IsHumanText(options: ValidationOptions & { multiline?: boolean } = {}): PropertyDecorator {
  const { multiline = false, ...rest } = options;
  // a list's message is built from the whole list, its validation from each item
  const problem = (v: unknown) => {
    for (const x of Array.isArray(v) ? v : [v]) {
      const found = typeof x === 'string' ? humanTextProblem(x, multiline) : null;
      if (found) {
        return found;
      }
    }
    return null;
  };
  return rule('isHumanText', problem, rest);
}

const pounds = (pence: number) =>
  `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * Money (pence) at most `max`, so that totals stay exact: the field's own value, or the amount
 * `of` computes from it and its object (a line's quantity × unit price, a report's lines).
 */
export function PenceAtMost(
  max: number,
  of?: { what: string; amount: (value: unknown, object: object) => number },
  options?: ValidationOptions,
): PropertyDecorator {
  return rule(
    'penceAtMost',
    (value, object) => {
      const pence = of ? of.amount(value, object) : value;
      return typeof pence === 'number' && pence > max
        ? `is too large: ${of?.what ?? 'the amount'} must be at most ${pounds(max)} (${max} pence)`
        : null;
    },
    options,
  );
}

/** Test-only (S2's negative control): validation errors without the rules above. */
export function withoutInputRules(errors: ValidationError[]): ValidationError[] {
  const names = new Set<string>(INPUT_RULES);
  return errors.flatMap((e) => {
    const constraints = Object.entries(e.constraints ?? {}).filter(([k]) => !names.has(k));
    const children = withoutInputRules(e.children ?? []);
    if (!constraints.length && !children.length) {
      return [];
    }
    return [
      { ...e, constraints: constraints.length ? Object.fromEntries(constraints) : undefined, children },
    ];
  });
}
