// Small statistics and seeding helpers shared by the scenarios.
import { createHash } from 'node:crypto';
import * as hdr from 'hdr-histogram-js';

export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) {
    return null;
  }
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** min, max and (max-min)/median of the repetitions: the spread we report next to each median. */
export function spread(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) {
    return null;
  }
  const md = median(v);
  const min = Math.min(...v);
  const max = Math.max(...v);
  return { min: round(min), max: round(max), relative: md ? round((max - min) / md, 3) : null };
}

export function round(x, digits = 2) {
  if (x === null || x === undefined || !Number.isFinite(x)) {
    return x ?? null;
  }
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A seed for a scenario, derived from the master seed and its name. */
export function deriveSeed(master, name) {
  return createHash('sha256').update(`${master}:${name}`).digest().readUInt32BE(0);
}

/** An HDR histogram of microseconds (1 µs .. 60 s, 3 significant digits). */
export function histogram() {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

/** Percentiles of an HDR histogram of microseconds, in milliseconds. */
export function summarizeUs(h) {
  if (!h.totalCount) {
    return { count: 0 };
  }
  const ms = (us) => round(us / 1000, 3);
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

/** Encodes a histogram for latest.json (compressed HdrHistogram, base64). */
export function encodeHistogram(h) {
  try {
    return hdr.encodeIntoCompressedBase64(h);
  } catch {
    return null;
  }
}

export function decodeHistogram(s) {
  return hdr.decodeFromCompressedBase64(s);
}

/**
 * Runs `pairs` interleaved repetitions A, B, A, B (baseline first) and returns both series.
 * `a` and `b` are async functions returning a result object; `value` picks the figure compared.
 */
export async function interleave(pairs, a, b, { onPair } = {}) {
  const base = [];
  const cand = [];
  for (let i = 0; i < pairs; i++) {
    base.push(await a(i));
    cand.push(await b(i));
    onPair?.(i, base[i], cand[i]);
  }
  return { base, cand };
}
