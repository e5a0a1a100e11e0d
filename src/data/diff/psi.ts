import type { Psi } from '../../contracts/index.js';

/** Proportions are floored here so an empty bin on one side gives a large but finite term. */
export const PSI_EPSILON = 1e-4;

export interface Histogram {
  edges: number[];
  counts: number[];
}

/** PSI of two count vectors over the same bins: sum of (q - p) * ln(q / p) over floored proportions. */
export function psiOfCounts(expected: number[], actual: number[]): number | null {
  const p = proportions(expected);
  const q = proportions(actual);
  if (!p || !q || p.length !== q.length) return null;
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = Math.max(p[i]!, PSI_EPSILON);
    const qi = Math.max(q[i]!, PSI_EPSILON);
    sum += (qi - pi) * Math.log(qi / pi);
  }
  return Number.isFinite(sum) ? sum : null;
}

function proportions(counts: number[]): number[] | null {
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 && Number.isFinite(total) ? counts.map((c) => c / total) : null;
}

/**
 * Spreads `histogram`'s counts over `edges`' bins, each count uniformly over its own bin's width, with
 * one more bin below edges[0] and one above the last edge: [below, ...bins, above].
 */
export function rebin(histogram: Histogram, edges: number[]): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  const targets = [-Infinity, ...edges, Infinity];
  histogram.counts.forEach((count, j) => {
    const lo = histogram.edges[j]!;
    const hi = histogram.edges[j + 1]!;
    const width = hi - lo;
    if (count === 0 || !(width > 0)) return;
    for (let k = 0; k < out.length; k++) {
      const overlap = Math.min(hi, targets[k + 1]!) - Math.max(lo, targets[k]!);
      if (overlap > 0) out[k]! += (count * overlap) / width;
    }
  });
  return out;
}

function wellFormed(h: Histogram): boolean {
  return (
    h.counts.length > 0 &&
    h.edges.length === h.counts.length + 1 &&
    h.edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > h.edges[i - 1]!)) &&
    h.counts.every((c) => Number.isFinite(c) && c >= 0)
  );
}

const REBINNED =
  "the histograms' edges differ: the new version's histogram was spread into the old version's bins " +
  '(plus one below and one above its range) assuming values are uniform within each bin';

/** PSI of a numeric column from the two versions' histograms ("from" is the expected distribution). */
export function histogramPsi(from: Histogram, to: Histogram): Psi {
  if (!wellFormed(from) || !wellFormed(to)) {
    return { value: null, method: null, approximate: false, reason: 'a histogram is malformed' };
  }
  const same = from.edges.length === to.edges.length && from.edges.every((e, i) => e === to.edges[i]);
  if (same)
    return { value: psiOfCounts(from.counts, to.counts), method: 'exact', approximate: false, reason: null };
  // "from" has no values outside its own range by construction: its outer bins are empty.
  const expected = [0, ...from.counts, 0];
  return {
    value: psiOfCounts(expected, rebin(to, from.edges)),
    method: 'rebinned',
    approximate: true,
    reason: REBINNED,
  };
}

/** PSI over categories, when both sides list every category with its count. */
export function categoryPsi(
  from: { value: string; count: number }[],
  to: { value: string; count: number }[],
): number | null {
  const values = [...new Set([...from, ...to].map((c) => c.value))];
  const countOf = (list: { value: string; count: number }[]) => {
    const counts = new Map(list.map((c) => [c.value, c.count]));
    return values.map((v) => counts.get(v) ?? 0);
  };
  return psiOfCounts(countOf(from), countOf(to));
}
