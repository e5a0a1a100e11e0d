import { describe, expect, it } from 'vitest';
import { correlationMatrix, correlations, pairCount, pairSums, prepareCorrelation } from './correlation.js';
import { countDistinct, EXACT_DISTINCT_LIMIT } from './distinct-count.js';
import {
  binEdges,
  HISTOGRAM_BINS,
  NumberStream,
  PROFILE_QUANTILES,
  summarizeNumbers,
} from './numeric-stats.js';
import { finiteValuesAtRanks, valuesAtRanks } from './rank-select.js';

/** A small deterministic PRNG, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** numpy's quantile ('linear') and histogram, written the slow, obvious way. */
function reference(values: number[]) {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = finite.length;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const quantiles = PROFILE_QUANTILES.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const a = finite[lo] as number;
    const b = finite[Math.min(lo + 1, n - 1)] as number;
    return a + (b - a) * (h - lo);
  });
  const edges = binEdges(finite[0] as number, finite[n - 1] as number);
  const counts = new Array(HISTOGRAM_BINS).fill(0);
  for (const v of finite) {
    let b = edges.findIndex((e, k) => k < HISTOGRAM_BINS && v >= e && v < (edges[k + 1] as number));
    if (b < 0) b = HISTOGRAM_BINS - 1;
    counts[b]++;
  }
  return { n, mean, std, quantiles, counts, distinct: new Set(values.filter((v) => !Number.isNaN(v))).size };
}

function close(actual: number | null | undefined, expected: number): void {
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('radix selection', () => {
  it('finds the same values as a sort, duplicates, negatives and -0 included', () => {
    const r = random(1);
    for (const make of [
      () => (r() - 0.4) * 10 ** Math.floor(r() * 12 - 6),
      () => Math.floor(r() * 20) - 10,
      () => (r() < 0.5 ? -0 : 0),
      () => 1000 + r(),
    ]) {
      const values = Float64Array.from({ length: 5000 }, make);
      const sorted = Array.from(values).sort((a, b) => a - b);
      const ranks = [0, 1, 17, 2499, 2500, 4998, 4999];
      const got = valuesAtRanks(values, ranks);
      for (const k of ranks) expect(got.get(k) === sorted[k] || got.get(k) === 0).toBe(true);
    }
  });

  it('skips NaN and ±Infinity when asked', () => {
    const values = Float64Array.from([
      3,
      Number.NaN,
      -1,
      Number.POSITIVE_INFINITY,
      2,
      Number.NEGATIVE_INFINITY,
    ]);
    const got = finiteValuesAtRanks(values, [0, 1, 2]);
    expect([got.get(0), got.get(1), got.get(2)]).toEqual([-1, 2, 3]);
  });
});

describe('countDistinct', () => {
  it('is exact up to EXACT_DISTINCT_LIMIT values, -0 and 0 counting once', () => {
    const values = Float64Array.from({ length: 50_000 }, (_, i) => (i % 977) - 488.5);
    expect(countDistinct(values)).toEqual({ distinct: 977, approximate: false });
    expect(countDistinct(Float64Array.from([0, -0, Number.NaN, 1]))).toEqual({
      distinct: 2,
      approximate: false,
    });
  });

  it('estimates past the limit within 2% (the HyperLogLog standard error is 0.41%)', () => {
    for (const [n, make] of [
      [150_000, (i: number) => i],
      [400_000, (i: number) => i * 0.01],
      [300_000, (i: number) => 1 + i * 2 ** -40],
    ] as const) {
      const result = countDistinct(Float64Array.from({ length: n }, (_, i) => make(i)));
      expect(result.approximate).toBe(true);
      expect(n).toBeGreaterThan(EXACT_DISTINCT_LIMIT);
      expect(Math.abs(result.distinct - n) / n).toBeLessThan(0.02);
    }
  });
});

describe('summarizeNumbers', () => {
  it('agrees with the obvious computation on skewed data with missing and infinite values', () => {
    const r = random(7);
    const values = Array.from({ length: 20_000 }, () => {
      const u = r();
      if (u < 0.05) return Number.NaN;
      if (u < 0.051) return Number.POSITIVE_INFINITY;
      return Math.exp(6 * r()) - 3;
    });
    const s = summarizeNumbers(Float64Array.from(values));
    const ref = reference(values);
    expect(s.count).toBe(ref.n + values.filter((v) => v === Number.POSITIVE_INFINITY).length);
    expect(s.numeric.infinite).toBeGreaterThan(0);
    expect(s.distinct).toBe(ref.distinct);
    close(s.numeric.mean, ref.mean);
    close(s.numeric.std, ref.std);
    for (const [k, q] of s.numeric.quantiles.entries()) close(q.value, ref.quantiles[k] as number);
    expect(s.numeric.histogram?.counts).toEqual(ref.counts);
  });
});

describe('NumberStream', () => {
  it('sums to the same last bit whatever pieces the rows arrive in', () => {
    const r = random(3);
    const values = Float64Array.from({ length: 10_000 }, () => (r() - 0.5) * 10 ** Math.floor(r() * 10));
    const whole = new NumberStream();
    whole.add(values, 0, values.length);
    const pieces = new NumberStream();
    let done = 0;
    for (const upTo of [1, 255, 256, 1000, 1001, 7777, 10_000]) {
      pieces.add(values, done, upTo);
      done = upTo;
    }
    const { digits: a, ...wholeMoments } = whole.moments();
    const { digits: b, ...pieceMoments } = pieces.moments();
    expect(pieceMoments).toEqual(wholeMoments);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('correlations', () => {
  it('agree with pairwise-complete two-pass Pearson, whole or split in pieces', () => {
    const r = random(11);
    const n = 5000;
    const base = Array.from({ length: n }, () => r());
    const columns = [0.9, -0.5, 0, 0.3].map((w) =>
      Float64Array.from(base, (b) => (r() < 0.08 ? Number.NaN : w * b + (1 - Math.abs(w)) * r() + 100)),
    );
    const expected = columns.map((x) =>
      columns.map((y) => {
        const rows = [...x.keys()].filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
        const mx = rows.reduce((a, i) => a + (x[i] as number), 0) / rows.length;
        const my = rows.reduce((a, i) => a + (y[i] as number), 0) / rows.length;
        let sxy = 0;
        let sxx = 0;
        let syy = 0;
        for (const i of rows) {
          sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
          sxx += ((x[i] as number) - mx) ** 2;
          syy += ((y[i] as number) - my) ** 2;
        }
        return sxy / Math.sqrt(sxx * syy);
      }),
    );
    const whole = correlations(columns.map((c) => c.slice()));
    const prepared = columns.map((c) => prepareCorrelation(c.slice(), null));
    const pairs = pairCount(prepared.length);
    const halves = [pairSums(prepared, 0, 2), pairSums(prepared, 2, pairs)];
    const joined = new Float64Array(halves[0]!.length + halves[1]!.length);
    joined.set(halves[0]!);
    joined.set(halves[1]!, halves[0]!.length);
    const split = correlationMatrix(prepared, joined);
    for (const [a, row] of expected.entries()) {
      for (const [b, v] of row.entries()) {
        close(whole[a]?.[b], v);
        close(split[a]?.[b], v);
      }
    }
  });

  it('are null for a constant column and for pairs with fewer than two rows', () => {
    const m = correlations([Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 2, 3, 4])]);
    expect(m).toEqual([
      [null, null],
      [null, 1],
    ]);
    const sparse = correlations([
      Float64Array.from([1, Number.NaN, 3]),
      Float64Array.from([Number.NaN, 2, 5]),
    ]);
    expect(sparse[0]?.[1]).toBeNull();
  });
});
