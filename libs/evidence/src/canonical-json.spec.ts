import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });

  it('holds integers only in hashed records, any number in request fingerprints', () => {
    expect(() => canonicalJson({ a: 1.5 })).toThrow('integers only');
    expect(canonicalJson({ a: 1.5 }, { integersOnly: false })).toBe('{"a":1.5}');
  });
});
