import type { ColumnData } from './column-hash.js';
import { type CorrelationColumn, prepareCorrelation } from './correlation.js';
import { DistinctCounter } from './distinct-count.js';
import { finiteValuesAtRanks, RankGather, topDigit } from './rank-select.js';

/** The probabilities of the stored quantiles (linear interpolation, like pandas' and numpy's default). */
export const PROFILE_QUANTILES: readonly number[] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
export const HISTOGRAM_BINS = 20;
const SUM_BLOCK = 256;
const NAN_HI = 0x7ff80000;

/** Where the block holding row `start` ends, or `to` if sooner. */
function blockEnd(start: number, to: number): number {
  return Math.min(to, (Math.floor(start / SUM_BLOCK) + 1) * SUM_BLOCK);
}

export interface NumericProfile {
  /** ±Infinity values: counted in `count`, left out of every statistic below. */
  infinite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n - 1 in the denominator, like pandas); null below 2 finite values. */
  std: number | null;
  /** One value per PROFILE_QUANTILES probability, exact; empty when there is no finite value. */
  quantiles: { p: number; value: number }[];
  /**
   * numpy.histogram semantics: HISTOGRAM_BINS equal-width bins from min to max (min ± 0.5 when they are
   * equal), each [edge, next edge) except the last, which is closed. Null when there is no finite value.
   */
  histogram: { edges: number[]; counts: number[] } | null;
}

export interface NumberSummary {
  /** Present values: not NaN (NaN stands for NULL too), ±Infinity included. */
  count: number;
  distinct: number;
  /** True when `distinct` is a HyperLogLog estimate (see DistinctCounter). */
  distinctApproximate: boolean;
  numeric: NumericProfile;
}

/**
 * The profile of one numeric column, given as doubles with NaN for every missing value, computed in JS
 * in a few linear passes: moments with compensated sums, exact quantiles by radix selection, the
 * histogram as numpy bins it, and the distinct count (exact up to EXACT_DISTINCT_LIMIT values).
 */
export function summarizeNumbers(values: Float64Array): NumberSummary {
  const stream = new NumberStream();
  stream.add(values, 0, values.length);
  return finishSummary(values, stream.moments()).summary;
}

/** The one-pass part of a column's summary (NumberStream), as a plain object any thread can pass on. */
export interface NumberMoments {
  /** Finite values, +Infinity and -Infinity values. */
  finite: number;
  positive: number;
  negative: number;
  min: number;
  max: number;
  mean: number;
  distinct: { distinct: number; approximate: boolean };
  /** Finite values per top 16 bits of their order-preserving key (rank-select.ts topDigit). */
  digits: Uint32Array;
}

/**
 * The one-pass part of summarizeNumbers, fed range by range as rows arrive: counts, min, max, the sum
 * (plain sums of SUM_BLOCK values added up with Neumaier's compensation: the error stays near one
 * block's whatever the row count, with no extra branch in the hot loop) and the distinct values.
 */
export class NumberStream {
  private finite = 0;
  private positive = 0;
  private negative = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private sum = 0;
  private carry = 0;
  private block = 0;
  private readonly distinct = new DistinctCounter();
  private readonly digits = new Uint32Array(1 << 16);

  add(values: Float64Array, from: number, to: number): void {
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const digits = this.digits;
    for (let start = from, end = from; start < to; start = end) {
      end = blockEnd(start, to);
      // The block's running sum carries over from the last piece: one sequence of additions.
      let block = this.block;
      let n = 0;
      let min = this.min;
      let max = this.max;
      for (let i = start; i < end; i++) {
        const v = values[i] as number;
        if (v - v !== 0) {
          // NaN (missing) or ±Infinity.
          if (v === Number.POSITIVE_INFINITY) this.positive++;
          else if (v === Number.NEGATIVE_INFINITY) this.negative++;
          continue;
        }
        if (v < min) min = v;
        if (v > max) max = v;
        block += v;
        n++;
        const d = topDigit(bits[2 * i + 1] as number);
        digits[d] = (digits[d] as number) + 1;
      }
      this.min = min;
      this.max = max;
      this.finite += n;
      this.addToSum(block, end);
    }
    this.distinct.add(values, from, to);
  }

  /**
   * Rows [from, to) of an integer or float column: converts them to doubles into `out` (NaN where
   * NULL; a float column may be its own `out`) and counts them, in one pass while the rows are in
   * cache. The column's bytes are made canonical on the way, as column-hash.ts canonicalRows would:
   * a float NULL or NaN becomes 0x7ff8000000000000 and -0 becomes 0, an integer NULL becomes 0. An
   * integer's double is hi · 2^32 + lo, rounded once, exactly as DuckDB casts an int64 to a double.
   */
  addColumn(column: ColumnData, out: Float64Array, from: number, to: number): void {
    // Only integer and float columns are given (profile.ts numericColumns checks): anything not a
    // float is read as int64.
    const { bytes, validity, type, rows } = column;
    const float = type === 'float';
    const floats = new Float64Array(bytes.buffer, bytes.byteOffset, float ? rows : 0);
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, rows * 2);
    const inPlace = float && out.buffer === bytes.buffer && out.byteOffset === bytes.byteOffset;
    const outBits = new Int32Array(out.buffer, out.byteOffset, out.length * 2);
    const distinct = this.distinct;
    const digits = this.digits;
    for (let start = from, end = from; start < to; start = end) {
      end = blockEnd(start, to);
      // The block's running sum carries over from the last piece: one sequence of additions.
      let block = this.block;
      let n = 0;
      let min = this.min;
      let max = this.max;
      for (let i = start; i < end; i++) {
        const present = (((validity[i >>> 5] as number) >>> (i & 31)) & 1) === 1;
        let v = Number.NaN;
        if (float) {
          if (present) v = floats[i] as number;
          if (Number.isNaN(v)) {
            // NULL or NaN: the one NaN (the validity tells them apart).
            words[2 * i] = 0;
            words[2 * i + 1] = NAN_HI;
          } else if (v === 0) {
            words[2 * i] = 0;
            words[2 * i + 1] = 0;
          }
          if (!inPlace) out[i] = v === 0 ? 0 : v;
          if (!present) continue;
        } else {
          if (!present) {
            words[2 * i] = 0;
            words[2 * i + 1] = 0;
            out[i] = Number.NaN;
            continue;
          }
          v = (words[2 * i + 1] as number) * 4294967296 + ((words[2 * i] as number) >>> 0);
          out[i] = v;
        }
        if (v - v !== 0) {
          // NaN (missing) or ±Infinity.
          if (v === Number.POSITIVE_INFINITY) this.positive++;
          else if (v === Number.NEGATIVE_INFINITY) this.negative++;
          continue;
        }
        if (v < min) min = v;
        if (v > max) max = v;
        block += v;
        n++;
        const hi = outBits[2 * i + 1] as number;
        distinct.addOne(v, outBits[2 * i] as number, hi);
        const d = topDigit(hi);
        digits[d] = (digits[d] as number) + 1;
      }
      this.min = min;
      this.max = max;
      this.finite += n;
      this.addToSum(block, end);
    }
  }

  /**
   * Takes the running sum of the current block up to row `end`, and adds the block to the total when
   * it is complete. Blocks are rows [k · SUM_BLOCK, (k + 1) · SUM_BLOCK) whatever pieces the rows
   * arrive in, so the sum (and the mean) is the same to the last bit however the column was read.
   */
  private addToSum(block: number, end: number): void {
    this.block = block;
    if (end % SUM_BLOCK !== 0) return;
    const t = this.sum + block;
    this.carry += Math.abs(this.sum) >= Math.abs(block) ? this.sum - t + block : block - t + this.sum;
    this.sum = t;
    this.block = 0;
  }

  /** The sum so far, the last block's piece included (added the way addToSum would). */
  private total(): number {
    const t = this.sum + this.block;
    const carry =
      Math.abs(this.sum) >= Math.abs(this.block) ? this.sum - t + this.block : this.block - t + this.sum;
    return t + (this.carry + carry);
  }

  moments(): NumberMoments {
    return {
      finite: this.finite,
      positive: this.positive,
      negative: this.negative,
      min: this.min,
      max: this.max,
      mean: this.total() / this.finite,
      distinct: this.distinct.result(),
      digits: this.digits,
    };
  }
}

/**
 * The rest of summarizeNumbers, from the column's doubles and its moments: the quantiles, then one
 * pass for the histogram and the standard deviation that, with `prepare`, also readies the column
 * for the correlations (prepareCorrelation's work, in place: `values` is overwritten).
 */
export function finishSummary(
  values: Float64Array,
  m: NumberMoments,
  prepare = false,
): { summary: NumberSummary; correlation?: CorrelationColumn } {
  const { finite, positive, negative, min, max, mean } = m;
  const numeric: NumericProfile = {
    infinite: positive + negative,
    min: null,
    max: null,
    mean: null,
    std: null,
    quantiles: [],
    histogram: null,
  };
  let correlation: CorrelationColumn | undefined;
  if (finite > 0) {
    // -0 is 0 (one distinct value, as pandas and DuckDB count it).
    numeric.min = min === 0 ? 0 : min;
    numeric.max = max === 0 ? 0 : max;
    numeric.mean = Number.isFinite(mean) ? mean : null;
    // The quantiles' values are gathered in the same pass when the moments counted their buckets.
    const at = quantileRanks(finite);
    const ranks = at.flatMap((q) => [q.below, q.above]);
    const gather = min === max ? null : RankGather.plan(m.digits, ranks);
    const ranked = min === max || gather ? null : finiteValuesAtRanks(values, ranks);
    const edges = binEdges(min, max);
    const pass = histogramAndDeviations(values, edges, mean, prepare ? values.length - finite : -1, gather);
    numeric.quantiles = interpolate(at, finite, gather?.finish() ?? ranked, min);
    numeric.histogram = { edges, counts: pass.counts };
    const variance = (pass.squares - (pass.deviations * pass.deviations) / finite) / (finite - 1);
    numeric.std =
      finite >= 2 && Number.isFinite(mean) && Number.isFinite(variance)
        ? Math.sqrt(Math.max(0, variance))
        : null;
    if (pass.prepared) {
      correlation = {
        ...pass.prepared,
        n: finite,
        sum: pass.deviations,
        squares: pass.squares,
        spread: finite >= 2 && min !== max,
      };
    }
  } else if (prepare) {
    correlation = prepareCorrelation(values, 0, values.length);
  }
  const summary = {
    count: finite + positive + negative,
    distinct: m.distinct.distinct + (positive > 0 ? 1 : 0) + (negative > 0 ? 1 : 0),
    distinctApproximate: m.distinct.approximate,
    numeric,
  };
  return correlation ? { summary, correlation } : { summary };
}

/**
 * One pass over the finite values: the histogram (numpy's binning: a first guess from the value's
 * offset, corrected by one bin when it falls on the wrong side of a stored edge; the guess may differ
 * from numpy's by rounding, the edge checks settle every value), Σd and Σd² of d = value - mean (the
 * two-pass standard deviation, its rounding corrected), the values `gather` wants for the quantiles
 * and, when `absentCount` is not negative, the column shifted in place for the correlations.
 */
function histogramAndDeviations(
  values: Float64Array,
  edgeList: number[],
  mean: number,
  absentCount: number,
  gather: RankGather | null,
): {
  counts: number[];
  deviations: number;
  squares: number;
  prepared?: { x: Float64Array; absent: Int32Array; present: Uint8Array };
} {
  const bins = edgeList.length - 1;
  const edges = Float64Array.from(edgeList);
  const lo = edges[0] as number;
  const scale = bins / ((edges[bins] as number) - lo);
  const counts = new Float64Array(bins);
  const prepare = absentCount >= 0;
  const absent = new Int32Array(new SharedArrayBuffer(Math.max(0, absentCount) * 4));
  const present = new Uint8Array(new SharedArrayBuffer(prepare ? values.length : 0));
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  let m = 0;
  let deviations = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) {
      if (prepare) {
        values[i] = 0;
        absent[m++] = i;
      }
      continue;
    }
    if (gather) gather.offer(v, bits[2 * i + 1] as number);
    let b = Math.floor((v - lo) * scale);
    if (b >= bins) b = bins - 1;
    if (v < (edges[b] as number)) b--;
    else if (b < bins - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
    const d = v - mean;
    deviations += d;
    squares += d * d;
    if (prepare) {
      values[i] = d;
      present[i] = 1;
    }
  }
  return {
    counts: Array.from(counts),
    deviations,
    squares,
    ...(prepare ? { prepared: { x: values, absent, present } } : {}),
  };
}

interface QuantileRank {
  p: number;
  virtual: number;
  below: number;
  above: number;
}

/** numpy's 'linear' method over n finite values: the virtual index n·p + (1 - p) - 1 and its neighbours. */
function quantileRanks(n: number): QuantileRank[] {
  return PROFILE_QUANTILES.map((p) => {
    const virtual = n * p + (1 - p) - 1;
    const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
    return { p, virtual, below, above: Math.min(below + 1, n - 1) };
  });
}

/** numpy's _lerp between the values at the neighbouring ranks (all `only` when there is one value). */
function interpolate(
  at: QuantileRank[],
  n: number,
  ranked: Map<number, number> | null,
  only: number,
): { p: number; value: number }[] {
  return at.map(({ p, virtual, below, above }) => {
    const a = ranked ? (ranked.get(below) as number) : only;
    const b = ranked ? (ranked.get(above) as number) : only;
    const t = virtual - below;
    if (virtual >= n - 1) return { p, value: b };
    if (virtual < 0) return { p, value: a };
    const diff = b - a;
    return { p, value: t >= 0.5 ? b - diff * (1 - t) : a + diff * t };
  });
}

/**
 * numpy.linspace(lo, hi, bins + 1) as numpy computes it (i * step + lo, the last edge exactly hi), with
 * numpy.histogram's widening of an empty range to lo - 0.5 .. hi + 0.5.
 */
export function binEdges(min: number, max: number, bins = HISTOGRAM_BINS): number[] {
  const lo = min === max ? min - 0.5 : min;
  const hi = min === max ? max + 0.5 : max;
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + lo);
  edges[bins] = hi;
  return edges;
}
