/** Correlations cover the first this-many numeric columns (the matrix grows with the square). */
export const MAX_CORRELATION_COLUMNS = 100;

/** Rows per block: the columns' slices of one block stay in cache while every pair runs over them. */
const BLOCK = 2048;
// A pair's variance this small relative to its sum of squares is rounding noise of a constant column.
const CONSTANT = 1e-12;
/** Per pair: Σxy, and for x then y what the other column's absent rows take away: n, Σx, Σx², Σy, Σy². */
const FIELDS = 6;

/** A column ready for pairing (prepareCorrelation), in memory any thread can read. */
export interface CorrelationColumn {
  /** Values minus the mean of the column's finite values; 0 where absent (missing or infinite). */
  x: Float64Array;
  /** 1 where the value is present (finite). */
  present: Uint8Array;
  /** Rows where it is absent, ascending. */
  absent: Int32Array;
  n: number;
  sum: number;
  squares: number;
  /** At least two finite values, not all equal. */
  spread: boolean;
}

/**
 * Pearson correlations of every pair of columns (doubles; NaN and ±Infinity are absent), each over the
 * rows where both values are finite, as pandas' DataFrame.corr computes them. The columns are shifted
 * in place: pass arrays that are no longer needed, and the means of their finite values if known.
 * The work is split for threads as prepareCorrelation (per column), pairSums (per range of pairs) and
 * correlationMatrix; this runs the three in turn.
 */
export function correlations(values: Float64Array[], means?: (number | null)[]): (number | null)[][] {
  const columns = values.map((x, i) => prepareCorrelation(x, means?.[i] ?? null));
  return correlationMatrix(columns, pairSums(columns, 0, pairCount(columns.length)));
}

export function pairCount(columns: number): number {
  return (columns * (columns - 1)) / 2;
}

/**
 * Shifts the column in place by the mean of its finite values (which keeps one-pass sums as accurate
 * as two passes), absent values to 0, so a pair's Σxy runs over every row without a branch. The mean
 * and the number of absent values, when known, save a pass each.
 */
export function prepareCorrelation(
  x: Float64Array,
  knownMean: number | null,
  knownAbsent?: number,
): CorrelationColumn {
  const mean = knownMean ?? meanOfFinite(x);
  let absentCount = knownAbsent ?? 0;
  // v - v is 0 for a finite v, NaN for NaN and ±Infinity.
  if (knownAbsent === undefined) {
    for (let i = 0; i < x.length; i++) if ((x[i] as number) - (x[i] as number) !== 0) absentCount++;
  }
  const absent = new Int32Array(new SharedArrayBuffer(absentCount * 4));
  const present = new Uint8Array(new SharedArrayBuffer(x.length));
  let m = 0;
  let sum = 0;
  let squares = 0;
  let first = 0;
  let seen = false;
  let spread = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v - v === 0) {
      if (!seen) {
        first = v;
        seen = true;
      } else if (v !== first) spread = true;
      const d = v - mean;
      x[i] = d;
      present[i] = 1;
      sum += d;
      squares += d * d;
    } else {
      x[i] = 0;
      absent[m++] = i;
    }
  }
  return { x, absent, present, n: x.length - absentCount, sum, squares, spread };
}

/**
 * The sums of the pairs [from, to) (pairs (a, b), a < b, in order), FIELDS per pair. A pair's n, Σx and
 * Σx² are the column's own totals minus what falls on the other column's absent rows: only those rows
 * are visited, while their block is in cache.
 */
export function pairSums(columns: CorrelationColumn[], from: number, to: number): Float64Array {
  const k = columns.length;
  const rows = columns[0]?.x.length ?? 0;
  const pairs: [number, number][] = [];
  for (let a = 0, p = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++, p++) if (p >= from && p < to) pairs.push([a, b]);
  }
  const out = new Float64Array(pairs.length * FIELDS);
  const cursor = new Int32Array(k);
  const lo = new Int32Array(k);
  for (let start = 0; start < rows; start += BLOCK) {
    const end = Math.min(rows, start + BLOCK);
    for (let c = 0; c < k; c++) {
      const { absent } = columns[c] as CorrelationColumn;
      let j = cursor[c] as number;
      lo[c] = j;
      while (j < absent.length && (absent[j] as number) < end) j++;
      cursor[c] = j;
    }
    pairs.forEach(([a, b], q) => {
      const ca = columns[a] as CorrelationColumn;
      const cb = columns[b] as CorrelationColumn;
      const o = q * FIELDS;
      out[o] = (out[o] as number) + dot(ca.x, cb.x, start, end);
      lose(ca, cb.absent, lo[b] as number, cursor[b] as number, out, o + 1, true);
      lose(cb, ca.absent, lo[a] as number, cursor[a] as number, out, o + 4, false);
    });
  }
  return out;
}

/** Adds up what column c has on the rows absent[from..to): count (when asked), Σx, Σx². */
function lose(
  c: CorrelationColumn,
  absent: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  at: number,
  count: boolean,
): void {
  let n = 0;
  let s = 0;
  let q = 0;
  const { x, present } = c;
  for (let j = from; j < to; j++) {
    const i = absent[j] as number;
    const v = x[i] as number;
    n += present[i] as number;
    s += v;
    q += v * v;
  }
  if (count) {
    out[at] = (out[at] as number) + n;
    at++;
  }
  out[at] = (out[at] as number) + s;
  out[at + 1] = (out[at + 1] as number) + q;
}

/** The matrix from every pair's sums (pairSums over all pairs, or its pieces concatenated in order). */
export function correlationMatrix(columns: CorrelationColumn[], sums: Float64Array): (number | null)[][] {
  const k = columns.length;
  const out = columns.map((c, a) => columns.map((_, b): number | null => (a === b && c.spread ? 1 : null)));
  for (let a = 0, p = 0; a < k; a++) {
    const ca = columns[a] as CorrelationColumn;
    for (let b = a + 1; b < k; b++, p++) {
      const cb = columns[b] as CorrelationColumn;
      const o = p * FIELDS;
      const r = pearson(
        ca.n - (sums[o + 1] as number),
        ca.sum - (sums[o + 2] as number),
        cb.sum - (sums[o + 4] as number),
        ca.squares - (sums[o + 3] as number),
        cb.squares - (sums[o + 5] as number),
        sums[o] as number,
      );
      out[a]![b] = r;
      out[b]![a] = r;
    }
  }
  return out;
}

/** Σ xs[i]·ys[i] over [start, end), four sums at once (a small function V8 compiles tightly). */
function dot(xs: Float64Array, ys: Float64Array, start: number, end: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    s0 += (xs[i] as number) * (ys[i] as number);
    s1 += (xs[i + 1] as number) * (ys[i + 1] as number);
    s2 += (xs[i + 2] as number) * (ys[i + 2] as number);
    s3 += (xs[i + 3] as number) * (ys[i + 3] as number);
  }
  for (; i < end; i++) s0 += (xs[i] as number) * (ys[i] as number);
  return s0 + s1 + s2 + s3;
}

function pearson(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): number | null {
  if (n < 2) return null;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  if (!(vx > CONSTANT * sxx) || !(vy > CONSTANT * syy)) return null;
  const r = (sxy - (sx * sy) / n) / Math.sqrt(vx * vy);
  // Rounding can carry |r| a hair past 1.
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
}

function meanOfFinite(x: Float64Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v - v === 0) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}
