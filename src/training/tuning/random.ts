/**
 * The tuning engine's seeded generator: xoshiro128** (Blackman and Vigna), its state filled by splitmix32
 * from the seed and a list of stream ids. Samplers open one stream per (seed, trial number), so a trial's
 * draws do not depend on how many trials ran before it, in what order, or in which process.
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
