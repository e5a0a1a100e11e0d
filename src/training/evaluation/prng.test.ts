import { describe, expect, it } from 'vitest';
import { mulberry32, shuffle } from './prng.js';

describe('mulberry32', () => {
  it('gives the reference sequence (an independent Python implementation computed these)', () => {
    const first4 = (seed: number) => {
      const prng = mulberry32(seed);
      return [0, 1, 2, 3].map(() => prng.nextUint32());
    };
    expect(first4(0)).toEqual([1144304738, 1416247, 958946056, 627933444]);
    expect(first4(42)).toEqual([2581720956, 1925393290, 3661312704, 2876485805]);
    expect(first4(2 ** 32 - 1)).toEqual([3850105811, 813802916, 3073704848, 4054706436]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const prng = mulberry32(seed);
      return Array.from({ length: 20 }, () => prng.nextFloat());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('keeps nextFloat in [0, 1) and nextInt in [0, bound), roughly uniform', () => {
    const prng = mulberry32(123);
    const counts = new Array(7).fill(0);
    let outside = 0;
    for (let i = 0; i < 70_000; i++) {
      const f = prng.nextFloat();
      if (!(f >= 0 && f < 1)) outside++;
      counts[prng.nextInt(7)]++;
    }
    expect(outside).toBe(0);
    // 10_000 expected per value; 5 standard deviations is about 480.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(mulberry32(1).nextInt(1)).toBe(0);
  });

  it('shuffles into a permutation of the same values', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i);
    shuffle(values, mulberry32(5));
    expect(Array.from(values)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(values).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
