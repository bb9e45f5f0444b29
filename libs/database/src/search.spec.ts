import { MAX_SEARCH_WORDS, textSearch } from './search';

describe('textSearch', () => {
  it('makes every word a required prefix, lower case', () => {
    expect(textSearch('  Razor  Blades ')).toEqual({ text: 'razor  blades', tsquery: 'razor:* & blades:*' });
  });

  it('lets only letters and digits reach to_tsquery', () => {
    expect(textSearch("O'Brien & !smith | C-7F3A:*")?.tsquery).toBe('o:* & brien:* & smith:* & c:* & 7f3a:*');
    expect(textSearch('Zoë Łukasz')?.tsquery).toBe('zoë:* & łukasz:*');
  });

  it('is nothing without a letter or digit', () => {
    for (const q of [undefined, null, '', '   ', '&|!:*()']) {
      expect(textSearch(q)).toBeNull();
    }
  });

  it('keeps the first words of a long paste', () => {
    const words = Array.from({ length: MAX_SEARCH_WORDS + 3 }, (_, i) => `w${i}`);
    expect(textSearch(words.join(' '))?.tsquery.split(' & ')).toHaveLength(MAX_SEARCH_WORDS);
  });
});
