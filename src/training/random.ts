/**
 * The one seeded generator of training/: xoshiro128** (Blackman and Vigna), its state filled by
 * splitmix32 from the seed and a list of stream ids. The same seed gives the same model, shuffles and
 * trials on every machine (Math.random cannot be seeded). Tuning samplers open one stream per (seed,
 * trial number), so a trial's draws do not depend on how many trials ran before it, in what order, or
 * in which process.
 */
export interface Random {
  /** Uniform in [0, 1), with 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** Hashes any safe integers (negative too) into one 32-bit state, all their bits mattering. */
function mix(values: readonly number[]): number {
  let h = 0x2545f491;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`seed and stream ids must be safe integers, got ${v}`);
    const low = v >>> 0;
    const high = Math.floor(v / 0x1_0000_0000) >>> 0;
    h = splitmix32(h ^ low);
    h = splitmix32(h ^ high);
  }
  return h;
}

export function createRandom(seed: number, ...streams: number[]): Random {
  let h = mix([seed, ...streams]);
  const s = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    h = splitmix32(h);
    s[i] = h;
  }
  // xoshiro's one forbidden state; splitmix32 all-zero output four times in a row is impossible anyway.
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  let [a, b, c, d] = s as [number, number, number, number];
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => ((nextUint32() >>> 5) * 0x4000000 + (nextUint32() >>> 6)) / 0x20000000000000;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      // 1 - u lies in (0, 1], so the logarithm is finite.
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      return r * Math.cos(2 * Math.PI * next());
    },
  };
}

/** Shuffles `values` in place (Fisher-Yates). */
export function shuffle<T extends { length: number; [i: number]: number }>(rng: Random, values: T): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = values[i] as number;
    values[i] = values[j] as number;
    values[j] = t;
  }
  return values;
}

/** `k` distinct integers of [0, n), in increasing order (Floyd's algorithm for small k, else a partial shuffle). */
export function sample(rng: Random, n: number, k: number): Uint32Array {
  if (k >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const out = new Uint32Array(k);
  if (k * 8 < n) {
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = rng.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    let i = 0;
    for (const v of chosen) out[i++] = v;
  } else {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      const t = all[i] as number;
      all[i] = all[j] as number;
      all[j] = t;
    }
    out.set(all.subarray(0, k));
  }
  return out.sort();
}
