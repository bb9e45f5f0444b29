import { randomBytes } from 'node:crypto';
import { estimateEntropyBits, secretWeakness } from './secret-strength';

describe('secret strength', () => {
  it('accepts random secrets of 32 bytes or more', () => {
    for (let i = 0; i < 50; i++) {
      expect(secretWeakness(randomBytes(32).toString('base64url'))).toBeNull();
      expect(secretWeakness(randomBytes(32).toString('hex'))).toBeNull();
      expect(secretWeakness(randomBytes(48).toString('base64'))).toBeNull();
    }
  });

  it('refuses secrets under 32 bytes, however random', () => {
    expect(secretWeakness(randomBytes(15).toString('hex'))).toMatch(/30 bytes; at least 32/);
  });

  it.each([
    ['the example value', 'dev-only-secret-change-me-dev-only-secret-change-me'],
    ['one character repeated', 'x'.repeat(64)],
    ['a short pattern repeated', 'ab'.repeat(40)],
    ['a word repeated', 'Password1'.repeat(6)],
    ['a phrase said twice', 'correct-horse-battery-staple-correct-horse'],
    ['low variety', 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb'],
  ])('refuses %s', (_name, secret) => {
    expect(secretWeakness(secret)).toMatch(/looks guessable/);
  });

  it('counts a repeated secret once', () => {
    const s = randomBytes(32).toString('base64url');
    expect(estimateEntropyBits(s + s)).toBeLessThan(estimateEntropyBits(s) * 1.3);
    expect(estimateEntropyBits('')).toBe(0);
  });
});
