/** Up to this many distinct values a column's count is exact (an in-memory set); past it, estimated. */
export const EXACT_DISTINCT_LIMIT = 100_000;
/** HyperLogLog registers: 2^16, a relative standard error of 1.04 / sqrt(2^16) = 0.41%. */
export const HLL_PRECISION = 16;

const SET_BITS = 18; // 262,144 slots: the exact set stays under half full
const ALPHA_INF = 1 / (2 * Math.LN2);
const RANK_BITS = 32;

/**
 * Counts the distinct finite values of a column fed range by range (NaN and ±Infinity are skipped, -0
 * is 0): exactly while there are at most EXACT_DISTINCT_LIMIT, else a HyperLogLog estimate (2^16
 * registers, Ertl's improved raw estimator, "New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017). One pass; the registers are kept from the start, so the switch costs nothing.
 */
export class DistinctCounter {
  private readonly registers = new Uint8Array(1 << HLL_PRECISION);
  private exact: Float64Array | null = new Float64Array(1 << SET_BITS);
  private used = new Uint8Array(1 << SET_BITS);
  private count = 0;

  add(values: Float64Array, from: number, to: number): void {
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = from; i < to; i++) {
      const v = values[i] as number;
      if (v - v === 0) this.addOne(v, bits[2 * i] as number, bits[2 * i + 1] as number);
    }
  }

  /** One finite value `v`, whose bits as a double are (`lo`, `hi`). */
  addOne(v: number, lo: number, hi: number): void {
    // -0 and 0 are one value: hash them both as 0's bits.
    const zero = v === 0;
    const a = mix((zero ? 0 : lo) ^ 0x9e3779b9);
    const h1 = mix((zero ? 0 : hi) ^ a);
    const h2 = mix(a ^ Math.imul(h1, 0x27d4eb2f) ^ 0x165667b1);
    const r = Math.clz32(h2) + 1;
    const slot = h1 >>> (32 - HLL_PRECISION);
    if (r > (this.registers[slot] as number)) this.registers[slot] = r;
    if (this.exact !== null) this.insert(zero ? 0 : v, h1);
  }

  result(): { distinct: number; approximate: boolean } {
    return this.exact === null
      ? { distinct: estimate(this.registers), approximate: true }
      : { distinct: this.count, approximate: false };
  }

  private insert(v: number, hash: number): void {
    const exact = this.exact as Float64Array;
    const used = this.used;
    const mask = (1 << SET_BITS) - 1;
    for (let s = hash >>> (32 - SET_BITS); ; s = (s + 1) & mask) {
      if (used[s] === 0) {
        used[s] = 1;
        exact[s] = v;
        if (++this.count > EXACT_DISTINCT_LIMIT) {
          this.exact = null;
          this.used = new Uint8Array(0);
        }
        return;
      }
      if (exact[s] === v) return;
    }
  }
}

/** The distinct values of `values` (see DistinctCounter). */
export function countDistinct(values: Float64Array): { distinct: number; approximate: boolean } {
  const counter = new DistinctCounter();
  counter.add(values, 0, values.length);
  return counter.result();
}

/** MurmurHash3's 32-bit finalizer. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function estimate(registers: Uint8Array): number {
  const m = registers.length;
  const c = new Float64Array(RANK_BITS + 2);
  for (const r of registers) c[r] = (c[r] as number) + 1;
  let z = m * tau(1 - (c[RANK_BITS + 1] as number) / m);
  for (let k = RANK_BITS; k >= 1; k--) z = 0.5 * (z + (c[k] as number));
  z += m * sigma((c[0] as number) / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let p = x;
  for (;;) {
    p *= p;
    const before = z;
    z += p * y;
    y += y;
    if (z === before) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let p = x;
  for (;;) {
    p = Math.sqrt(p);
    const before = z;
    y *= 0.5;
    z -= (1 - p) ** 2 * y;
    if (z === before) return z / 3;
  }
}
