import { periodLabel, statLabel } from './labels';

describe('statistics labels', () => {
  it('names measures, types and periods in words', () => {
    expect(statLabel('violent_reported')).toBe('Violent incidents reported');
    expect(periodLabel('2026-08-01', 'month')).toBe('August 2026');
    expect(periodLabel('2026-08-01', 'day')).toBe('1 Aug 2026');
    expect(statLabel('type_theft_shop')).toBe('Shoplifting');
    expect(statLabel('knife')).toBe('Knife');
    expect(statLabel('some_new_key')).toBe('Some new key');
  });
});
