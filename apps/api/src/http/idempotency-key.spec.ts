import { parseIdempotencyKey } from './idempotency.interceptor';

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
