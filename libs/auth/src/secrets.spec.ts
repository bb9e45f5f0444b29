import { formatCredential, newSecret, parseCredential } from './secrets';

describe('opaque credentials', () => {
  const c = {
    partnershipId: '3f1c2a4e-8b7d-4c1e-9a2b-1c2d3e4f5a6b',
    id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    secret: newSecret(),
  };

  it('round-trips', () => {
    expect(parseCredential(formatCredential(c))).toEqual(c);
  });

  it.each([
    ['not a string', 42],
    ['too few parts', `${c.partnershipId}.${c.id}`],
    ['too many parts', `${formatCredential(c)}.x`],
    ['bad uuid', `nope.${c.id}.${c.secret}`],
    ['short secret', `${c.partnershipId}.${c.id}.abc`],
    ['oversized', 'a'.repeat(500)],
  ])('refuses %s', (_name, value) => {
    expect(parseCredential(value)).toBeNull();
  });
});
