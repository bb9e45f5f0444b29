import type { AppConfig } from '@app/config';
import { AccessTokenService } from './access-token.service';
import type { Actor } from './actor';
import { Role } from './role';

const config = { auth: { jwtSecret: 'unit-test-secret-of-thirty-two-bytes!', accessTtlSeconds: 60 } } as AppConfig;
const actor: Actor = {
  kind: 'user',
  id: '00000000-0000-4000-8000-000000000001',
  partnershipId: '00000000-0000-4000-8000-000000000002',
  role: Role.Shopworker,
  sessionId: '00000000-0000-4000-8000-000000000003',
  storeId: '00000000-0000-4000-8000-000000000004',
};

describe('AccessTokenService', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a token it verified before from memory, with the same frozen actor', () => {
    const tokens = new AccessTokenService(config);
    const token = tokens.sign(actor);
    const first = tokens.verify(token);
    expect(first).toEqual(actor);
    expect(tokens.verify(token)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a token whose signature does not match, known or not', () => {
    const tokens = new AccessTokenService(config);
    const token = tokens.sign(actor);
    tokens.verify(token);
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(tokens.verify(forged)).toBeNull();
    const other = new AccessTokenService({ auth: { ...config.auth, jwtSecret: 'another-secret-of-thirty-two-bytes!!' } } as AppConfig);
    expect(other.verify(token)).toBeNull();
  });

  it('refuses a remembered token once it has expired', () => {
    const tokens = new AccessTokenService(config);
    const token = tokens.sign(actor);
    expect(tokens.verify(token)).toEqual(actor);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(tokens.verify(token)).toBeNull();
  });
});
