/** The least a production signing secret must have. */
export const MIN_SECRET_BYTES = 32;
export const MIN_SECRET_BITS = 128;

/**
 * An estimate of a secret's entropy in bits: the Shannon entropy of its character distribution
 * times its length, where the length counts only the distinct 3-character windows (plus two), so a
 * repeated phrase counts once. An estimate, not a proof: it refuses short, repeated and
 * low-variety strings; it cannot tell a random string from a well-mixed memorable one.
 */
export function estimateEntropyBits(secret: string): number {
  const chars = [...secret];
  if (chars.length === 0) {
    return 0;
  }
  const counts = new Map<string, number>();
  for (const c of chars) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    perChar -= p * Math.log2(p);
  }
  const windows = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    windows.add(chars.slice(i, i + 3).join(''));
  }
  const effectiveLength = Math.min(chars.length, windows.size + 2);
  return perChar * effectiveLength;
}

/** Why a secret is too weak for production, or null when it is strong enough. */
export function secretWeakness(secret: string): string | null {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    return `is ${bytes} bytes; at least ${MIN_SECRET_BYTES} are required in production`;
  }
  const bits = Math.floor(estimateEntropyBits(secret));
  if (bits < MIN_SECRET_BITS) {
    return `looks guessable (about ${bits} bits of entropy; at least ${MIN_SECRET_BITS} are required in production, e.g. openssl rand -base64 32)`;
  }
  return null;
}
