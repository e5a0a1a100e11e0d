/**
 * Exact order statistics without sorting: the values at a few ranks of an array of finite doubles, by
 * radix selection on their bits. Each level counts one 16-bit digit of the values' order-preserving
 * 64-bit keys, keeps only the buckets that hold a wanted rank and recurses into them, so a million
 * values cost about two passes instead of a sort.
 */
export function valuesAtRanks(values: Float64Array, ranks: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const wanted = [...new Set(ranks)].sort((a, b) => a - b);
  if (wanted.length > 0) select(values, wanted, 0, 0, out, false);
  return out;
}

/** valuesAtRanks over the finite values of `values` only (NaN and ±Infinity are left out). */
export function finiteValuesAtRanks(values: Float64Array, ranks: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const wanted = [...new Set(ranks)].sort((a, b) => a - b);
  if (wanted.length > 0) select(values, wanted, 0, 0, out, true);
  return out;
}

const SMALL = 256;
const DIGITS = 1 << 16;

/** The top 16 bits of a double's order-preserving key, from the high word of its bits. */
export function topDigit(hi: number): number {
  return (hi >>> 31 === 1 ? ~hi : hi | 0x80000000) >>> 16;
}

/**
 * A radix selection whose first level was counted beforehand (`counts[topDigit]` over the finite
 * values): the values of the buckets that hold a wanted rank are offered as they go by in some other
 * pass, then only those buckets are searched. Null from plan() when the wanted buckets hold more than
 * half the values: a plain selection is cheaper then.
 */
interface Bucket {
  digit: number;
  /** Rank of the bucket's first value. */
  start: number;
  /** Wanted ranks, relative to start. */
  ranks: number[];
  values: Float64Array;
  filled: number;
}

export class RankGather {
  private readonly slot = new Int32Array(DIGITS).fill(-1);

  private constructor(private readonly buckets: Bucket[]) {
    buckets.forEach((b, k) => {
      this.slot[b.digit] = k;
    });
  }

  static plan(counts: Uint32Array, ranks: readonly number[]): RankGather | null {
    const wanted = [...new Set(ranks)].sort((a, b) => a - b);
    const buckets: Bucket[] = [];
    let total = 0;
    for (const c of counts) total += c;
    let start = 0;
    let k = 0;
    let kept = 0;
    for (let d = 0; d < DIGITS && k < wanted.length; d++) {
      const size = counts[d] as number;
      const inBucket: number[] = [];
      while (k < wanted.length && (wanted[k] as number) < start + size)
        inBucket.push((wanted[k++] as number) - start);
      if (inBucket.length > 0) {
        kept += size;
        if (kept * 2 > total) return null;
        buckets.push({ digit: d, start, ranks: inBucket, values: new Float64Array(size), filled: 0 });
      }
      start += size;
    }
    return new RankGather(buckets);
  }

  offer(v: number, hi: number): void {
    const s = this.slot[topDigit(hi)] as number;
    if (s >= 0) {
      const b = this.buckets[s]!;
      b.values[b.filled++] = v;
    }
  }

  finish(): Map<number, number> {
    const out = new Map<number, number>();
    for (const b of this.buckets) select(b.values, b.ranks, 1, b.start, out, false);
    return out;
  }
}

/**
 * Counts digit `level` (0 = most significant) of the values' order-preserving 64-bit keys; with `skip`,
 * of the finite values only. Returns how many it counted.
 */
function countDigits(
  bits: Uint32Array,
  n: number,
  level: number,
  counts: Uint32Array,
  skip: boolean,
): number {
  const word = level < 2 ? 1 : 0;
  const shift = level % 2 === 0 ? 16 : 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    if (skip && nonFinite(bits, i)) continue;
    const d = keyDigit(bits, i, word, shift);
    counts[d] = (counts[d] as number) + 1;
    counted++;
  }
  return counted;
}

/** NaN and ±Infinity: every exponent bit set. */
function nonFinite(bits: Uint32Array, i: number): boolean {
  return ((bits[2 * i + 1] as number) & 0x7ff00000) === 0x7ff00000;
}

function keyDigit(bits: Uint32Array, i: number, word: number, shift: number): number {
  const hi = bits[2 * i + 1] as number;
  const w = bits[2 * i + word] as number;
  // Negative doubles order backwards: all bits flipped. Positive ones: the sign bit set.
  const key = hi >>> 31 === 1 ? ~w : word === 1 ? w | 0x80000000 : w;
  return (key >>> shift) & 0xffff;
}

function select(
  values: Float64Array,
  ranks: number[],
  level: number,
  base: number,
  out: Map<number, number>,
  skip: boolean,
): void {
  const n = values.length;
  if (n <= SMALL || level === 4) {
    // Four levels consume all 64 bits: what is left is one value repeated.
    const sorted = (skip ? values.filter(Number.isFinite) : values.slice()).sort();
    for (const r of ranks) out.set(base + r, sorted[r] as number);
    return;
  }
  const bits = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const counts = new Uint32Array(DIGITS);
  const total = countDigits(bits, n, level, counts, skip);

  // The bucket of each wanted rank, and where that bucket starts in sorted order.
  const slot = new Int32Array(DIGITS).fill(-1);
  const buckets: { start: number; ranks: number[]; values: Float64Array; filled: number }[] = [];
  let start = 0;
  let k = 0;
  for (let d = 0; d < DIGITS && k < ranks.length; d++) {
    const size = counts[d] as number;
    if (size === total) {
      // Every value shares this digit: nothing to split here.
      select(values, ranks, level + 1, base, out, skip);
      return;
    }
    const inBucket: number[] = [];
    while (k < ranks.length && (ranks[k] as number) < start + size) {
      inBucket.push((ranks[k++] as number) - start);
    }
    if (inBucket.length > 0) {
      slot[d] = buckets.length;
      buckets.push({ start, ranks: inBucket, values: new Float64Array(size), filled: 0 });
    }
    start += size;
  }
  const word = level < 2 ? 1 : 0;
  const shift = level % 2 === 0 ? 16 : 0;
  for (let i = 0; i < n; i++) {
    if (skip && nonFinite(bits, i)) continue;
    const s = slot[keyDigit(bits, i, word, shift)] as number;
    if (s >= 0) {
      const b = buckets[s]!;
      b.values[b.filled++] = values[i] as number;
    }
  }
  // The buckets hold finite values only.
  for (const b of buckets) select(b.values, b.ranks, level + 1, base + b.start, out, false);
}
