/**
 * JSON with object keys sorted at every level and no whitespace (RFC 8785 in spirit). Hashed
 * records hold strings, integers, booleans and null only (`integersOnly`, the default), because
 * verify.mjs and other readers must reproduce the bytes; request fingerprints take any JSON.
 */
export function canonicalJson(value: unknown, { integersOnly = true } = {}): string {
  const encode = (v: unknown): string => {
    if (v === null || typeof v !== 'object') {
      if (integersOnly && typeof v === 'number' && !Number.isSafeInteger(v)) {
        throw new Error('canonical JSON holds integers only');
      }
      return JSON.stringify(v ?? null);
    }
    if (v instanceof Date) {
      return JSON.stringify(v.toISOString());
    }
    if (Array.isArray(v)) {
      return `[${v.map(encode).join(',')}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${encode(x)}`).join(',')}}`;
  };
  return encode(value);
}
