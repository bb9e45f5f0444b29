import { canonicalJson } from './canonical-json';
import { parseIdempotencyKey } from './idempotency.interceptor';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe('parseIdempotencyKey', () => {
  it('accepts a UUID, bare or as a quoted sf-string', () => {
    const key = '6f1c2a9e-5b0d-4c1e-9a3f-2b7d8e9f0a1b';
    expect(parseIdempotencyKey(key)).toBe(key);
    expect(parseIdempotencyKey(`"${key}"`)).toBe(key);
  });

  it('refuses missing and malformed keys, naming the header', () => {
    for (const bad of [undefined, '', '   ', 'has space', 'x'.repeat(256), 'tab\tkey']) {
      expect(() => parseIdempotencyKey(bad)).toThrow(
        expect.objectContaining({
          code: 'IDEMPOTENCY_KEY_MISSING',
          details: [expect.objectContaining({ field: 'Idempotency-Key' })],
        }),
      );
    }
  });
});
