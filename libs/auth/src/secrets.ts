import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random, URL-safe secret of 256 bits. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Opaque credentials are `<partnershipId>.<rowId>.<secret>`: the tenant and row are known before
 * any lookup, so the lookup runs under row-level security.
 */
export interface OpaqueCredential {
  partnershipId: string;
  id: string;
  secret: string;
}

export function formatCredential(c: OpaqueCredential): string {
  return `${c.partnershipId}.${c.id}.${c.secret}`;
}

export function parseCredential(value: unknown): OpaqueCredential | null {
  if (typeof value !== 'string' || value.length > 200) {
    return null;
  }
  const [partnershipId, id, secret, ...rest] = value.split('.');
  if (
    rest.length ||
    !UUID.test(partnershipId ?? '') ||
    !UUID.test(id ?? '') ||
    !/^[A-Za-z0-9_-]{43}$/.test(secret ?? '')
  ) {
    return null;
  }
  return { partnershipId, id, secret };
}
