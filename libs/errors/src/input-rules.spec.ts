import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validate } from 'class-validator';
import {
  calendarDateProblem,
  DATE_RANGES,
  humanTextProblem,
  IsCalendarDate,
  IsHumanText,
  IsZonedDateTime,
  PenceAtMost,
  withoutInputRules,
  zonedDateTimeProblem,
} from './input-rules';
import { fieldProblems } from './validation';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const WIDE = { min: '1900-01-01', max: '2100-01-01' };

describe('calendarDateProblem', () => {
  it.each(['2026-02-28', '2024-02-29', '2026-12-31', '2000-01-01'])('accepts %s', (d) => {
    expect(calendarDateProblem(d, WIDE, NOW)).toBeNull();
  });

  it.each([
    ['2026-02-30', /does not exist/],
    ['2025-02-29', /does not exist/],
    ['2026-13-01', /does not exist/],
    ['2026-04-31', /does not exist/],
    ['0000-01-01', /does not exist/],
    ['2026-11-30T10:00:00Z', /YYYY-MM-DD/],
    ['20261101', /YYYY-MM-DD/],
    ['2026-11', /YYYY-MM-DD/],
    [' 2026-11-01', /YYYY-MM-DD/],
    [20261101, /YYYY-MM-DD/],
  ])('refuses %p', (d, why) => {
    expect(calendarDateProblem(d, WIDE, NOW)).toMatch(why);
  });

  it('applies fixed and relative bounds, whole days', () => {
    const cctv = DATE_RANGES.cctvOverwrite;
    expect(calendarDateProblem('2026-12-04', cctv, NOW)).toBeNull();
    expect(calendarDateProblem('2028-12-05', cctv, NOW)).toBeNull();
    expect(calendarDateProblem('9999-12-31', cctv, NOW)).toBe('must be between 2025-12-03 and 2028-12-05');
    expect(calendarDateProblem('2025-12-02', cctv, NOW)).toMatch(/must be between/);
    expect(calendarDateProblem('1999-12-31', DATE_RANGES.query, NOW)).toMatch(/between 2000-01-01 and/);
  });
});

describe('zonedDateTimeProblem', () => {
  it.each([
    '2026-11-20T14:03:00Z',
    '2026-11-20T14:03Z',
    '2026-11-20T14:03:00.123Z',
    '2026-11-20T14:03:00.123456789+01:00',
    '2026-11-20T14:03:00-05:30',
  ])('accepts %s', (d) => {
    expect(zonedDateTimeProblem(d, WIDE, NOW)).toBeNull();
  });

  it.each([
    ['2026-11-20T14:03:00', /with a timezone/],
    ['2026-11-20 14:03:00Z', /with a timezone/],
    ['2026-11-20', /with a timezone/],
    ['2026-11-20T14:03:00z', /with a timezone/],
    ['2026-02-30T10:00:00Z', /does not exist/],
    ['2026-11-20T24:00:00Z', /does not exist/],
    ['2026-11-20T14:60:00Z', /does not exist/],
    ['2026-11-20T14:03:60Z', /does not exist/],
    ['2026-11-20T14:03:00+15:00', /does not exist/],
    ['0000-01-01T00:00:00Z', /does not exist/],
  ])('refuses %p', (d, why) => {
    expect(zonedDateTimeProblem(d, WIDE, NOW)).toMatch(why);
  });

  it('judges the range at the instant the offset gives', () => {
    const past = DATE_RANGES.past; // up to a day ahead
    expect(zonedDateTimeProblem('2026-12-05T11:59:00Z', past, NOW)).toBeNull();
    expect(zonedDateTimeProblem('2026-12-05T12:01:00Z', past, NOW)).toMatch(/must be between/);
    // 13:30 at +02:00 is 11:30Z, inside
    expect(zonedDateTimeProblem('2026-12-05T13:30:00+02:00', past, NOW)).toBeNull();
    expect(zonedDateTimeProblem('1899-06-01T10:00:00Z', past, NOW)).toBe(
      'must be between 2000-01-01T00:00Z and 2026-12-05T12:00Z',
    );
  });
});

describe('humanTextProblem', () => {
  it('accepts ordinary text in any script, emoji and bidi marks', () => {
    for (const t of ['Jo Bloggs', 'Zoë Ó Briain', '李小龙', 'محمد\u200f', '👮🏽‍♀️ ok', '']) {
      expect(humanTextProblem(t)).toBeNull();
    }
    expect(humanTextProblem('line one\nline two\twith a tab', true)).toBeNull();
  });

  it.each([
    ['invoice\u202egpj.exe', /bidirectional/],
    ['a\u202ab', /bidirectional/],
    ['a\u2066b\u2069', /bidirectional/],
    ['nul\u0000', /control/],
    ['bell\u0007', /control/],
    ['c1\u0085', /control/],
    ['del\u007f', /control/],
    ['two\nlines', /single line/],
    ['tab\there', /single line/],
    ['lone \ud800 high', /surrogate/],
    ['lone \udc00 low', /surrogate/],
    ['at the end \ud83d', /surrogate/],
  ])('refuses %p', (t, why) => {
    expect(humanTextProblem(t)).toMatch(why);
  });

  it('refuses carriage returns and other controls even in multi-line text', () => {
    expect(humanTextProblem('a\r\nb', true)).toMatch(/other than line breaks/);
    expect(humanTextProblem('a\u202eb\nc', true)).toMatch(/bidirectional/);
  });
});

class Line {
  quantity: number;

  @PenceAtMost(1000, { what: "the line's value", amount: (p, l) => Number(p) * (l as Line).quantity })
  unitPricePence: number;
}

class Dto {
  @IsOptional() @IsCalendarDate(DATE_RANGES.cctvOverwrite) on?: string;
  @IsOptional() @IsZonedDateTime(DATE_RANGES.past) at?: string;
  @IsOptional() @IsString() @IsHumanText() name?: string;
  @IsOptional() @IsString({ each: true }) @IsHumanText({ each: true }) aliases?: string[];
  @IsOptional() @IsString() @IsHumanText({ multiline: true }) notes?: string;
  @IsOptional() @PenceAtMost(5000) totalPence?: number;
}

async function problems(plain: Record<string, unknown>) {
  return fieldProblems(await validate(plainToInstance(Dto, plain)));
}

describe('the decorators', () => {
  it('name the field and say what is wrong', async () => {
    expect(
      await problems({
        on: '2026-02-30',
        at: '2026-11-20T10:00:00',
        name: 'a\u202eb',
        aliases: ['fine', 'x\ud800'],
        notes: 'ok\nfine',
        totalPence: 5001,
      }),
    ).toEqual([
      { field: 'on', problems: ['on must be a real calendar date (2026-02-30 does not exist)'] },
      { field: 'at', problems: [expect.stringMatching(/^at must be a date and time with a timezone/)] },
      { field: 'name', problems: [expect.stringMatching(/^name must not contain bidirectional/)] },
      { field: 'aliases', problems: [expect.stringMatching(/^aliases must be valid Unicode/)] },
      {
        field: 'totalPence',
        problems: ['totalPence is too large: the amount must be at most £50.00 (5000 pence)'],
      },
    ]);
  });

  it('accept good values and leave absent optional fields alone', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(
      await problems({
        on: today,
        at: new Date().toISOString(),
        name: 'Sam',
        aliases: ['S'],
        totalPence: 5000,
      }),
    ).toEqual([]);
    expect(await problems({})).toEqual([]);
  });

  it('compute an amount from the object', async () => {
    const errors = await validate(plainToInstance(Line, { quantity: 3, unitPricePence: 400 }));
    expect(fieldProblems(errors)).toEqual([
      {
        field: 'unitPricePence',
        problems: ["unitPricePence is too large: the line's value must be at most £10.00 (1000 pence)"],
      },
    ]);
    expect(await validate(plainToInstance(Line, { quantity: 2, unitPricePence: 500 }))).toEqual([]);
  });

  it('are dropped, and only they, by the negative control’s filter', async () => {
    const errors = await validate(plainToInstance(Dto, { on: '2026-02-30', name: 42 }));
    expect(fieldProblems(withoutInputRules(errors))).toEqual([
      { field: 'name', problems: ['name must be a string'] },
    ]);
  });
});
