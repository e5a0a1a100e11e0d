/**
 * A small seeded generator (mulberry32) for the shuffles of permutation importance: Math.random cannot
 * be seeded, and the same seed must give the same importances on every machine and Node version.
 */
export interface Prng {
  /** Uniform in [0, 2^32). */
  nextUint32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  nextFloat(): number;
  /** Uniform in [0, bound), without modulo bias; bound in [1, 2^32]. */
  nextInt(bound: number): number;
}

export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextUint32,
    nextFloat: () => nextUint32() / 2 ** 32,
    nextInt(bound: number): number {
      // Reject the top partial block of 2^32 so every residue is equally likely.
      const limit = 2 ** 32 - (2 ** 32 % bound);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return x % bound;
    },
  };
}

/** Fisher-Yates, in place. */
export function shuffle(values: Float64Array, prng: Prng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    const v = values[i]!;
    values[i] = values[j]!;
    values[j] = v;
  }
}
